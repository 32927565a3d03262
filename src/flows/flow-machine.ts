import { type AnyActorScope, type AnyMachineSnapshot, assign, createActor, fromPromise, setup, type AnyStateMachine } from 'xstate';
import type { CustomerProfile } from '../backend/customer';
import type { FlowDefinition } from './flow-definition';
import { toArray } from './flow-json';
import type { FlowRegistry } from './registry/registry';

export interface MachineInput {
  customer: CustomerProfile;
}

const mapValues = <T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));

/**
 * Where a flow becomes a machine. The machine is only ever advanced with XState's pure
 * `transition()`: the call engine itself starts the invoked back-end steps and timers, so each
 * reply or expiry is written to the log before the machine sees it. So `setup` is given no actor
 * logic (see below): an invoke spawns nothing, and its spawn action only names the step for the engine.
 */
export function buildMachine(flow: FlowDefinition, registry: FlowRegistry): AnyStateMachine {
  type Ctx = Record<string, unknown>;
  type Ev = Record<string, unknown> & { type: string };
  type Params = Record<string, unknown> | undefined;

  const guards = mapValues(registry.guards, (impl) => ({ context, event }: { context: Ctx; event: Ev }, params: Params) =>
    impl({ ...context, event }, params ?? {}, flow),
  );
  const actions = mapValues(registry.actions, (update) =>
    assign(({ context, event }: { context: Ctx; event: Ev }, params: Params) => update(context, event, params ?? {})),
  );
  const initialContext = flow.machine.context ?? {};
  const config = {
    ...flow.machine,
    // The inert actor of `machineStep` runs this factory once without input; only `machineStart`
    // passes the customer. (Before that actor was kept per machine, XState's transition() built a
    // throwaway one per call; skipping the clone then saved ~10 % of the server's CPU.)
    context: ({ input }: { input?: MachineInput }) =>
      input ? { ...structuredClone(initialContext), customer: input.customer } : {},
  };
  // No actor logic for the back-end steps: XState then spawns nothing for an invoke (it built an
  // actor per invoked step, never started, for the engine to drop), and the spawn action still names
  // the step; its input, which XState resolves only for an actor it builds, comes from the flow by
  // invoke id. A flow that gives two steps one id with different operations keeps inert actors, so
  // XState resolves each input itself, as before.
  const inputs = inputsOfInvokes(flow);
  const actors = inputs ? {} : mapValues(registry.operations, () => fromPromise(async () => Promise.reject(new Error(NOT_STARTED_HERE))));
  // The JSON is validated against the registry before this point; XState's generics cannot see that.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const machine = setup({ guards, actions, actors, delays: registry.delays } as any).createMachine(config as any) as AnyStateMachine;
  if (inputs) invokeInputs.set(machine, inputs);
  return machine;
}

const NOT_STARTED_HERE = 'back-end steps are started by the call engine, not by an XState actor';
const invokeInputs = new WeakMap<AnyStateMachine, Map<string, Record<string, unknown>>>();

/** The input of every invoke of the flow by invoke id; null when two steps use one id for different operations or inputs. */
function inputsOfInvokes(flow: FlowDefinition): Map<string, Record<string, unknown>> | null {
  const inputs = new Map<string, Record<string, unknown>>();
  const seen = new Map<string, string>();
  for (const node of Object.values(flow.machine.states)) {
    for (const invoke of toArray(node.invoke)) {
      const what = JSON.stringify([invoke.src, invoke.input ?? {}]);
      if (seen.has(invoke.id) && seen.get(invoke.id) !== what) return null;
      seen.set(invoke.id, what);
      inputs.set(invoke.id, invoke.input ?? {});
    }
  }
  return inputs;
}

/** An action the machine asked for on a transition (not executed: the call engine carries them out). */
export interface MachineAction {
  type: string;
  params?: unknown;
}

const ignore = () => undefined;
const inertScopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/**
 * The actor scope XState's pure `transition()` / `initialTransition()` build for every call (a
 * throwaway actor, which itself computes the machine's initial snapshot, and a fresh actor system),
 * made once per machine and reused: that construction was about a third of each transition's CPU
 * and most of its garbage. Sharing it is safe for our machines: they are only ever advanced through
 * here, synchronously; nothing is executed (the scope defers, stops and emits nothing); and flow
 * files cannot give an invoke a `systemId` (src/flows/flow.schema.ts), the one thing a spawned child
 * would register in the shared system.
 */
function inertScope(machine: AnyStateMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = { self, defer: ignore, id: '', logger: ignore, sessionId: '', stopChild: ignore, system: self.system, emit: ignore, actionExecutor: ignore };
    inertScopes.set(machine, scope);
  }
  return scope;
}

function collecting<T>(machine: AnyStateMachine, run: (scope: AnyActorScope) => T): [T, MachineAction[]] {
  const scope = inertScope(machine);
  const actions: MachineAction[] = [];
  scope.actionExecutor = (action) => void actions.push(action.type === 'xstate.spawnChild' ? withInput(machine, action) : action);
  try {
    return [run(scope), actions];
  } finally {
    scope.actionExecutor = ignore;
  }
}

/** A spawn action of an invoke, with the input XState leaves out when it spawns no actor. */
function withInput(machine: AnyStateMachine, action: MachineAction): MachineAction {
  const params = action.params as { id: string; input?: unknown };
  if (params.input !== undefined) return action;
  return { type: action.type, params: { ...params, input: invokeInputs.get(machine)?.get(params.id) ?? {} } };
}

/**
 * What XState puts in every snapshot that our pure use never reads, shared instead. A call keeps its
 * snapshot until its next input, a second later, so whatever a snapshot holds outlives the young
 * generation and is promoted: these two were a fifth of the bytes a step kept (bench/decision-path.mjs,
 * `kept`) — the child actor for as long as its step waits on the back end.
 * - Tags: a new empty Set per snapshot; flow files cannot tag a state (src/flows/flow.schema.ts).
 * - Children: a new object per invoke, naming the step's child (usually none is made: no actor logic). The
 *   engine starts the back-end step itself, from the spawn action's id, src and input
 *   (calls/step/settle.ts); XState reads `children` only to start, stop or persist actors, none of
 *   which happens here (a stop of a child it cannot find changes nothing).
 * - History: a new empty object per snapshot; flow files have no history states (only `atomic` and
 *   `final`), so it stays empty. XState never writes to a snapshot's own: a history it records is a copy.
 * - The state nodes: a new array per snapshot, the same two nodes (flows are flat: the root and the step)
 *   every time a step is entered; one frozen array per step is kept per machine. XState only reads a
 *   snapshot's nodes (it copies them into a Set of its own to move on).
 * Together another ~120 B of every step a call keeps (docs/PERFORMANCE.md, thirtieth session).
 */
class NoTags extends Set<string> {
  override add(): this {
    throw new Error('a snapshot without tags is shared: it is never added to');
  }
}
const NO_TAGS: ReadonlySet<string> = new NoTags();
const NO_CHILDREN = Object.freeze({});
const NO_HISTORY = Object.freeze({});
/** Per machine, the state nodes of each step as the first snapshot in it had them (frozen). */
const nodesOfSteps = new WeakMap<AnyStateMachine, Map<unknown, readonly unknown[]>>();

function keepingNothingUnread(machine: AnyStateMachine, snapshot: AnyMachineSnapshot): AnyMachineSnapshot {
  const kept = snapshot as unknown as { tags: ReadonlySet<string>; children: object; historyValue: object; _nodes: readonly unknown[]; value: unknown };
  if (kept.tags !== NO_TAGS && kept.tags.size === 0) kept.tags = NO_TAGS;
  if (kept.children !== NO_CHILDREN) kept.children = NO_CHILDREN;
  if (kept.historyValue !== NO_HISTORY && isEmpty(kept.historyValue)) kept.historyValue = NO_HISTORY;
  if (typeof kept.value === 'string') kept._nodes = sharedNodes(machine, kept.value, kept._nodes);
  return snapshot;
}

function isEmpty(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** The step's frozen array of nodes when `nodes` holds the same ones in the same order; else `nodes` itself. */
function sharedNodes(machine: AnyStateMachine, step: string, nodes: readonly unknown[]): readonly unknown[] {
  let byStep = nodesOfSteps.get(machine);
  if (!byStep) nodesOfSteps.set(machine, (byStep = new Map()));
  const shared = byStep.get(step);
  if (shared === undefined) {
    byStep.set(step, Object.freeze(nodes));
    return nodes;
  }
  return shared === nodes || (shared.length === nodes.length && shared.every((node, i) => node === nodes[i])) ? shared : nodes;
}

/** XState's pure `transition(machine, snapshot, event)`: the next snapshot and the actions to carry out, nothing executed. */
export function machineStep(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string }): [AnyMachineSnapshot, MachineAction[]] {
  return collecting(machine, (scope) => keepingNothingUnread(machine, machine.transition(snapshot, event, scope) as AnyMachineSnapshot));
}

/** XState's pure `initialTransition(machine, input)`. */
export function machineStart(machine: AnyStateMachine, input: MachineInput): [AnyMachineSnapshot, MachineAction[]] {
  return collecting(machine, (scope) => keepingNothingUnread(machine, machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot));
}
