import type { FindingReason } from '../../../protocol/authoring';
import { type Finding, statePath } from './finding';
import type { HasOptionPolicy, HasWayOutPolicy, Policy, PrecededByPolicy } from './policies';
import { describeSelector, matchesSelector, type Selector } from '../../flows/step-selector';
import type { GraphState, StateGraph } from './state-graph';

/** The findings of one policy on one flow's state graph. */
export function checkPolicy(graph: StateGraph, policy: Policy): Finding[] {
  switch (policy.kind) {
    case 'precededBy':
      return checkPrecededBy(graph, policy);
    case 'hasWayOut':
      return checkHasWayOut(graph, policy);
    case 'hasOption':
      return checkHasOption(graph, policy);
  }
}

const finding = (policy: Policy, state: GraphState, code: FindingReason['code'], message: string, offendingPath?: string[]): Finding => ({
  check: 'policy',
  severity: 'error',
  path: statePath(state.id),
  message: `${policy.title.en}: ${message}`,
  reason: { code, step: state.id },
  policy: policy.id,
  ...(offendingPath ? { offendingPath } : {}),
});

/**
 * Breadth-first search over (state, how much of `passes` has been met on the way there), so loops
 * (retries, "choose again") are walked once per progress and the first offending arrival at each
 * `to` state is along a shortest offending path. Progress is a count for `inOrder` (a subsequence
 * match; advancing as early as possible never loses) and a bit set otherwise. One state may meet
 * several consecutive requirements at once (e.g. a C-marked step that also verifies).
 */
function checkPrecededBy(graph: StateGraph, policy: PrecededByPolicy): Finding[] {
  const { passes, inOrder } = policy;
  const done = inOrder ? passes.length : 2 ** passes.length - 1;
  const advance = (progress: number, s: GraphState): number => {
    if (!inOrder) return passes.reduce((mask, sel, i) => (matchesSelector(s, sel) ? mask | (2 ** i) : mask), progress);
    let p = progress;
    while (p < passes.length && matchesSelector(s, passes[p])) p++;
    return p;
  };

  const key = (id: string, progress: number) => `${id}|${progress}`;
  const parent = new Map<string, string | null>([[key(graph.initial, 0), null]]);
  const queue: [string, number][] = [[graph.initial, 0]];
  const offending = new Map<string, string[]>();
  while (queue.length) {
    const [id, progress] = queue.shift()!;
    const state = graph.states.get(id)!;
    if (progress !== done && matchesSelector(state, policy.to) && !offending.has(id)) offending.set(id, pathTo(parent, key(id, progress)));
    const next = advance(progress, state);
    for (const n of state.next) {
      if (parent.has(key(n, next))) continue;
      parent.set(key(n, next), key(id, progress));
      queue.push([n, next]);
    }
  }

  const required = passes.map(describeSelector).join(inOrder ? ', then ' : ' and ');
  return [...offending].map(([id, path]) =>
    finding(
      policy,
      graph.states.get(id)!,
      'skips-required-steps',
      `'${id}' (${describeSelector(policy.to)}) can be reached without passing ${required} first, along ${path.join(' → ')}`,
      path,
    ),
  );
}

function pathTo(parent: Map<string, string | null>, end: string): string[] {
  const path: string[] = [];
  for (let k: string | null | undefined = end; k; k = parent.get(k)) path.unshift(k.slice(0, k.lastIndexOf('|')));
  return path;
}

const matching = (graph: StateGraph, selector: Selector) => [...graph.states.values()].filter((s) => matchesSelector(s, selector));

function checkHasWayOut(graph: StateGraph, policy: HasWayOutPolicy): Finding[] {
  const { notTo } = policy.exit;
  const isWayOut = (target: string) => !matchesSelector(graph.states.get(target)!, notTo);
  return matching(graph, policy.states)
    .filter((s) => !s.options.some((o) => o.targets.some(isWayOut)))
    .map((s) => {
      const leads = s.options.length
        ? `its options lead only to ${[...new Set(s.options.flatMap((o) => o.targets))].map((t) => `'${t}'`).join(', ') || 'nowhere'}`
        : 'it has no agent options';
      return finding(
        policy,
        s,
        'no-way-out-option',
        `'${s.id}' (${describeSelector(policy.states)}) needs an agent option leading to something other than ${describeSelector(notTo)}; ${leads}`,
      );
    });
}

function checkHasOption(graph: StateGraph, policy: HasOptionPolicy): Finding[] {
  return matching(graph, policy.states)
    .filter((s) => !s.options.some((o) => !o.takesOffer))
    .map((s) =>
      finding(
        policy,
        s,
        'no-decline-option',
        `'${s.id}' (${describeSelector(policy.states)}) needs an option that takes no offer, so the customer can decline; ${s.options.length ? `every option (${s.options.map((o) => `'${o.id}'`).join(', ')}) accepts an offer` : 'it has no options'}`,
      ),
    );
}
