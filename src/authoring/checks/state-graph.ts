import { toArray } from '../../flows/coverage/flow-analysis';
import { type Effect, effectOfOperation } from './operation-effects';

/** An agent option of a state, with the states its event can lead to. */
export interface GraphOption {
  id: string;
  event: string;
  targets: string[];
  /** Takes an input of type `offer`, i.e. it accepts a marketing offer. */
  takesOffer: boolean;
}

/** A state as the graph checks and policies see it, read once from the draft JSON. */
export interface GraphState {
  id: string;
  final: boolean;
  lane: string | null;
  marks: string[];
  effects: Effect[];
  options: GraphOption[];
  /** Known states reachable in one transition, in the order the file declares them, without repeats. */
  next: string[];
  /** Whether the state declares any `on`, `invoke`, `after` or `always` at all. */
  hasWayOut: boolean;
}

export interface StateGraph {
  initial: string;
  states: Map<string, GraphState>;
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Targets of a transition in any of its forms (`"id"`, `{target}`, an array of those); the loader refuses other forms. */
function targetsOf(t: unknown): string[] {
  return toArray(t).flatMap((x) => (typeof x === 'string' ? [x] : isObject(x) && typeof x.target === 'string' ? [x.target] : []));
}

/**
 * The state graph of a draft, or null when the machine is too broken to walk (no states object, or
 * `initial` not naming a state). Works on unvalidated JSON so graph checks can still run on a draft
 * the loader complains about; unknown targets are left out (the loader reports them).
 *
 * Edges come from every `on` event and every branch, `invoke.onDone`/`onError`, `after` and `always`.
 * Guards are ignored, so the graph over-approximates what a call can do: a path may exist here that
 * no customer can take. Reachability is then optimistic and path policies are strict — a policy
 * violation along a path the guards actually forbid is still reported, and is fixed by making the
 * graph say what the guards mean.
 */
export function buildStateGraph(raw: unknown): StateGraph | null {
  const machine = isObject(raw) ? raw.machine : undefined;
  if (!isObject(machine) || !isObject(machine.states) || typeof machine.initial !== 'string') return null;
  const nodes = machine.states;
  if (!isObject(nodes[machine.initial])) return null;

  const known = (id: string) => isObject(nodes[id]);
  const states = new Map<string, GraphState>();
  for (const [id, value] of Object.entries(nodes)) {
    const node = isObject(value) ? value : {};
    const meta = isObject(node.meta) ? node.meta : {};
    const on = isObject(node.on) ? node.on : {};
    const after = isObject(node.after) ? node.after : {};
    const invokes = toArray(node.invoke).filter(isObject);

    const all = [
      ...Object.values(on).flatMap(targetsOf),
      ...invokes.flatMap((inv) => [...targetsOf(inv.onDone), ...targetsOf(inv.onError)]),
      ...Object.values(after).flatMap(targetsOf),
      ...targetsOf(node.always),
    ];
    const offerInputs = new Set((Array.isArray(meta.inputs) ? meta.inputs : []).filter((i) => isObject(i) && i.type === 'offer').map((i) => (i as Json).name));
    const options = (Array.isArray(meta.options) ? meta.options : []).filter(isObject).map((o) => ({
      id: String(o.id),
      event: String(o.event),
      targets: targetsOf(on[String(o.event)]).filter(known),
      takesOffer: toArray(o.inputs).some((name) => offerInputs.has(name)),
    }));

    states.set(id, {
      id,
      final: node.type === 'final',
      lane: typeof meta.lane === 'string' ? meta.lane : null,
      marks: Array.isArray(meta.marks) ? meta.marks.filter((m): m is string => typeof m === 'string') : [],
      effects: [...new Set(invokes.map((inv) => effectOfOperation(String(inv.src), inv.input)).filter((e): e is Effect => e !== null))],
      options,
      next: [...new Set(all.filter(known))],
      hasWayOut: Object.keys(on).length + Object.keys(after).length + invokes.length + (node.always === undefined ? 0 : 1) > 0,
    });
  }
  return { initial: machine.initial, states };
}
