import type { CustomerProfile } from '../backend/customer';
import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../backend/simulator/simulator-backend';
import type { CompiledFlow } from '../flows/flow-loader';
import { operationImplementations } from '../flows/registry/operations';

/** How a back-end step answered the simulator: done, an error, or not within the wait (timeout). */
export type BackEndAnswer = 'done' | 'error' | 'timeout';

/**
 * Asks the real simulator, once per demo customer, how each back-end step of the flow answers:
 * done, error, or no answer within `settleMs` (timeout). Used to say which customers a path
 * would need and whether any demo customer can give a failure or a timeout at all.
 */
export async function probeBackEnd(
  flow: CompiledFlow,
  fixtures: CustomerFixture[],
  profiles: CustomerProfile[],
  settleMs = 50,
): Promise<Map<string, Map<BackEndAnswer, string[]>>> {
  const invokes = Object.values(flow.definition.machine.states).flatMap((s) => (s.invoke === undefined ? [] : Array.isArray(s.invoke) ? s.invoke : [s.invoke]));
  const result = new Map<string, Map<BackEndAnswer, string[]>>();
  await Promise.all(
    invokes.map(async (inv) => {
      const answers = new Map<BackEndAnswer, string[]>();
      result.set(inv.id, answers);
      const backend = new SimulatorBackend(fixtures, 0);
      await Promise.all(
        profiles.map(async (customer) => {
          let answer: BackEndAnswer = 'timeout';
          let timer: NodeJS.Timeout | undefined;
          const call = (async () =>
            operationImplementations[inv.src](backend, {
              callId: 'probe',
              idempotencyKey: `probe-${inv.id}-${customer.msisdn}`,
              customer,
              context: {},
              input: inv.input ?? {},
            }))();
          await Promise.race([
            call.then(
              () => void (answer = 'done'),
              () => void (answer = 'error'),
            ),
            new Promise<void>((r) => (timer = setTimeout(r, settleMs))),
          ]);
          clearTimeout(timer);
          answers.set(answer, [...(answers.get(answer) ?? []), customer.msisdn]);
        }),
      );
    }),
  );
  return result;
}
