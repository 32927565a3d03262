import type { FlowDefinition, TransitionJson, TransitionObjectJson } from './flow-definition';

const targetsOf = (t: TransitionJson | undefined): string[] =>
  (t === undefined ? [] : Array.isArray(t) ? t : [t])
    .map((x) => (typeof x === 'string' ? x : (x as TransitionObjectJson).target))
    .filter((x): x is string => Boolean(x));

/**
 * The blueprint's main path: the shortest route from the first step to the ending whose outcome
 * is `completed` (or, failing that, to any ending) — what the agent's progress strip shows.
 * Transitions are taken in the order the file lists them, so the file decides ties.
 */
export function mainPath(flow: FlowDefinition): string[] {
  const states = flow.machine.states;
  const next = (id: string): string[] => {
    const node = states[id];
    const invokes = node.invoke === undefined ? [] : Array.isArray(node.invoke) ? node.invoke : [node.invoke];
    return [
      ...Object.values(node.on ?? {}).flatMap(targetsOf),
      ...invokes.flatMap((i) => [...targetsOf(i.onDone), ...targetsOf(i.onError)]),
      ...targetsOf(node.always),
      ...Object.values(node.after ?? {}).flatMap(targetsOf),
    ];
  };
  const finals = Object.keys(states).filter((id) => states[id].type === 'final');
  const goal = finals.find((id) => states[id].meta.outcome === 'completed') ?? finals[0];
  const previous = new Map<string, string | null>([[flow.machine.initial, null]]);
  const queue = [flow.machine.initial];
  while (queue.length) {
    const id = queue.shift()!;
    if (id === goal) break;
    for (const target of next(id)) {
      if (!previous.has(target)) {
        previous.set(target, id);
        queue.push(target);
      }
    }
  }
  if (!goal || !previous.has(goal)) return [flow.machine.initial];
  const path: string[] = [];
  for (let id: string | null = goal; id !== null; id = previous.get(id) ?? null) path.unshift(id);
  return path;
}
