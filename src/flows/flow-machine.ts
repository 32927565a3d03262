import { assign, fromPromise, setup, type AnyStateMachine } from 'xstate';
import type { CustomerProfile } from '../backend/customer';
import type { FlowDefinition } from './flow-definition';
import type { FlowRegistry } from './registry/registry';

export interface MachineInput {
  customer: CustomerProfile;
}

const mapValues = <T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));

/**
 * Where a flow becomes a machine. The machine is only ever advanced with XState's pure
 * `transition()`: the call engine itself starts the invoked back-end steps and timers, so each
 * reply or expiry is written to the log before the machine sees it. The actor logic given to
 * `setup` therefore only names the steps; starting one outside the engine is a programming error.
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
  const actors = mapValues(registry.operations, () =>
    fromPromise(async () => {
      throw new Error('back-end steps are started by the call engine, not by an XState actor');
    }),
  );
  const initialContext = flow.machine.context ?? {};
  const config = {
    ...flow.machine,
    // XState's pure transition() builds a throwaway actor per call and runs this factory without
    // input; only initialTransition passes the customer. Skipping the clone then saved ~10 % of
    // the server's CPU under load (docs/PERFORMANCE.md).
    context: ({ input }: { input?: MachineInput }) =>
      input ? { ...structuredClone(initialContext), customer: input.customer } : {},
  };
  // The JSON is validated against the registry before this point; XState's generics cannot see that.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return setup({ guards, actions, actors, delays: registry.delays } as any).createMachine(config as any);
}
