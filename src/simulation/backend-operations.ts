import { BackendError } from '../backend/backend.port';
import type { SimulatorBackend } from '../backend/simulator/simulator-backend';
import type { CallProgress, Effect } from '../calls/step';
import { operationImplementations } from '../flows/registry/operations';

/** A back-end step the simulated call started, and the simulator's answer once it came. */
export interface PendingOperation {
  effect: Extract<Effect, { kind: 'operation' }>;
  idempotencyKey: string;
  startedAt: number;
  reply: Record<string, unknown> | null;
  settled: Promise<void>;
}

/** Starts the back-end steps the last transition asked for on the simulator, exactly as the engine would call them. */
export function startOperations(progress: CallProgress, backend: SimulatorBackend): Map<string, PendingOperation> {
  const pending = new Map<string, PendingOperation>();
  const { record, snapshot } = progress;
  for (const effect of progress.effects) {
    if (effect.kind !== 'operation') continue;
    // Exactly as CallEngine.runOperation: the key of the view that started the step.
    const idempotencyKey = `${record.id}:${record.seq}`;
    const op: PendingOperation = { effect, idempotencyKey, startedAt: Date.now(), reply: null, settled: Promise.resolve() };
    const run = async () =>
      operationImplementations[effect.src](backend, {
        callId: record.id,
        idempotencyKey,
        customer: snapshot.context.customer,
        context: snapshot.context,
        input: effect.input,
      });
    op.settled = run().then(
      (output) => void (op.reply = { ok: true, output: output ?? null }),
      (e: Error) =>
        void (op.reply = {
          ok: false,
          error: e instanceof BackendError ? { code: e.code, message: e.message } : { code: 'BACKEND_FAILURE', message: e.message },
        }),
    );
    pending.set(effect.invokeId, op);
  }
  return pending;
}

/** Waits until every operation has answered, or `ms` have passed (what is still unanswered then counts as timed out). */
export async function settle(ops: PendingOperation[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(ops.map((o) => o.settled)), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

const short = (v: unknown, max = 80) => {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max)}…` : text;
};
/** An answer in a few words, for the reason a run does not reach its path. */
export const describeReply = (reply: Record<string, unknown> | null) =>
  !reply ? 'no answer (timed out)' : reply.ok ? `ok ${short(reply.output)}` : `error ${(reply.error as { code?: string })?.code ?? short(reply.error)}`;
