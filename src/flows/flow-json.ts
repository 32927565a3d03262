import type { StateNodeJson, TransitionJson, TransitionObjectJson } from './flow-definition';

/** A flow's JSON allows one item or a list in many places (`invoke`, `actions`, transitions): always a list. */
export const toArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** A transition as written (a target id, an object, or a list of them), as a list of objects. */
export const transitionsOf = (t: TransitionJson | undefined): TransitionObjectJson[] =>
  toArray(t as TransitionObjectJson | TransitionObjectJson[] | string | undefined).map((x) => (typeof x === 'string' ? { target: x } : x));

/** Every transition a state has, tagged with where it comes from. */
export function stateTransitions(node: StateNodeJson): { via: string; t: TransitionObjectJson }[] {
  const out: { via: string; t: TransitionObjectJson }[] = [];
  for (const [event, t] of Object.entries(node.on ?? {})) transitionsOf(t).forEach((x) => out.push({ via: event, t: x }));
  for (const [delay, t] of Object.entries(node.after ?? {})) transitionsOf(t).forEach((x) => out.push({ via: `after:${delay}`, t: x }));
  transitionsOf(node.always).forEach((x) => out.push({ via: 'always', t: x }));
  for (const inv of toArray(node.invoke)) {
    transitionsOf(inv.onDone).forEach((x) => out.push({ via: `done:${inv.id}`, t: x }));
    transitionsOf(inv.onError).forEach((x) => out.push({ via: `error:${inv.id}`, t: x }));
  }
  return out;
}
