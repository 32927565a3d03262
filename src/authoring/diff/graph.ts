import type { FlowDefinition, StateNodeJson, TransitionJson } from '../../flows/flow-definition';
import { asArray } from './format';

/** Step → the steps it can lead to (options, back-end replies, delays, eventless), itself excluded. */
export type Graph = Map<string, Set<string>>;

export const targetsOf = (t: TransitionJson | undefined): string[] =>
  asArray(t as Exclude<TransitionJson, string> | string | undefined)
    .map((x) => (typeof x === 'string' ? x : x.target))
    .filter((x): x is string => Boolean(x));

function nextOf(node: StateNodeJson): string[] {
  return [
    ...Object.values(node.on ?? {}).flatMap(targetsOf),
    ...asArray(node.invoke).flatMap((i) => [...targetsOf(i.onDone), ...targetsOf(i.onError)]),
    ...targetsOf(node.always),
    ...Object.values(node.after ?? {}).flatMap(targetsOf),
  ];
}

export function graphOf(flow: FlowDefinition): Graph {
  const states = flow.machine.states;
  return new Map(Object.keys(states).map((id) => [id, new Set(nextOf(states[id]).filter((t) => t !== id && t in states))]));
}

/**
 * The graph seen only through `keep`: a kept step leads to the kept steps reachable from it through steps
 * that are not kept (so a step inserted or removed between two others leaves them neighbours).
 */
export function through(graph: Graph, keep: Set<string>): Graph {
  const out: Graph = new Map();
  for (const id of keep) {
    const reached = new Set<string>();
    const seen = new Set<string>([id]);
    const queue = [...(graph.get(id) ?? [])];
    while (queue.length) {
      const n = queue.shift()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (keep.has(n)) reached.add(n);
      else queue.push(...(graph.get(n) ?? []));
    }
    out.set(id, reached);
  }
  return out;
}

export function invert(graph: Graph): Graph {
  const out: Graph = new Map([...graph.keys()].map((id) => [id, new Set<string>()]));
  for (const [id, next] of graph) for (const n of next) out.get(n)?.add(id);
  return out;
}

const sameSet = (a: Set<string> | undefined, b: Set<string> | undefined) => (a?.size ?? 0) === (b?.size ?? 0) && [...(a ?? [])].every((x) => b?.has(x));

/**
 * Steps that moved: common steps whose predecessors or successors changed, with added and removed steps
 * seen through. A step whose own move explains its neighbours' changes (seeing through it makes two or
 * more differences disappear) is taken as the one that moved, and its neighbours are not reported.
 */
export function movedSteps(before: Graph, after: Graph, common: string[]): string[] {
  const differing = (skip: Set<string>): string[] => {
    const keep = new Set(common.filter((id) => !skip.has(id)));
    const nb = through(before, keep);
    const na = through(after, keep);
    const pb = invert(nb);
    const pa = invert(na);
    return [...keep].filter((id) => !sameSet(nb.get(id), na.get(id)) || !sameSet(pb.get(id), pa.get(id)));
  };
  const explained = new Set<string>();
  let diff = differing(explained);
  for (;;) {
    let best: { id: string; rest: string[] } | undefined;
    for (const id of diff) {
      const rest = differing(new Set([...explained, id]));
      if (diff.length - rest.length >= 2 && (!best || rest.length < best.rest.length)) best = { id, rest };
    }
    if (!best) break;
    explained.add(best.id);
    diff = best.rest;
  }
  const moved = new Set([...explained, ...diff]);
  return common.filter((id) => moved.has(id));
}
