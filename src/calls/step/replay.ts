import type { CallbackContext } from '../../../protocol/call-view';
import type { Divergence, ReplayVerdict } from '../../../protocol/calls';
import type { CustomerProfile } from '../../backend/customer';
import type { CallRecord, StoredEvent } from '../../decision-log/decision-log';
import { verifyChain } from '../../decision-log/hash-chain';
import type { FlowResolver } from '../../flows/flow-resolver';
import { advance, beginCall } from './call-progress';
import type { CallInput, CallProgress } from './call-progress-types';

type Step = ReturnType<typeof advance>;

/** The verdict (`POST /api/calls/:id/replay`), and where the replayed call ended up. */
export interface ReplayResult extends ReplayVerdict {
  progress?: CallProgress;
}

/**
 * Folds a call's logged events through the flow versions it ran on (across every business it
 * moved through), using the logged times and back-end replies — never the live back end — and
 * reports every place the result differs from the log — and whether the log's hash chain holds
 * (an edit that re-executes the same, e.g. of a back-end reply's latency, is caught there).
 */
export function replayCall(flows: FlowResolver, call: CallRecord, events: readonly StoredEvent[]): ReplayResult {
  return { ...replaySteps(flows, call, events), chain: verifyChain(events) };
}

/**
 * The re-execution alone, without the hash chain: crash recovery rebuilds every live call before
 * the server listens and checks their chains right after (the chain only ever warns there).
 */
export function replaySteps(flows: FlowResolver, call: CallRecord, events: readonly StoredEvent[]): Omit<ReplayResult, 'chain'> {
  const divergences: Divergence[] = [];
  const differ = (seq: number, field: string, expected: unknown, actual: unknown) => {
    if (JSON.stringify(expected) !== JSON.stringify(actual)) divergences.push({ seq, field, expected, actual });
  };
  const result = (replayed: number, progress?: CallProgress): Omit<ReplayResult, 'chain'> => ({
    callId: call.id,
    deterministic: divergences.length === 0,
    eventsReplayed: replayed,
    divergences,
    progress,
  });

  const first = events[0];
  if (!first || first.type !== 'call.started') {
    differ(first?.seq ?? 1, 'type', 'call.started', first?.type ?? null);
    return result(0);
  }
  let progress: CallProgress | undefined;
  let replayed = 0;
  for (const [index, logged] of events.entries()) {
    differ(logged.seq, 'seq', index + 1, logged.seq);
    try {
      const step = reapply(flows, call, logged, index === 0 ? undefined : progress);
      differ(logged.seq, 'stateBefore', logged.stateBefore, step.event.stateBefore);
      differ(logged.seq, 'stateAfter', logged.stateAfter, step.event.stateAfter);
      differ(logged.seq, 'flow', `${logged.flowId}@${logged.flowVersion}`, `${step.event.flowId}@${step.event.flowVersion}`);
      if (logged.flowIdAfter !== null) {
        differ(logged.seq, 'flowAfter', `${logged.flowIdAfter}@${logged.flowVersionAfter}`, `${step.event.flowIdAfter}@${step.event.flowVersionAfter}`);
      }
      progress = step.progress;
      replayed++;
    } catch (e) {
      divergences.push({ seq: logged.seq, field: 'event', expected: 'an event the step accepts', actual: (e as Error).message });
      return result(replayed, progress);
    }
  }
  const last = events[events.length - 1];
  for (const field of ['status', 'outcome', 'state', 'seq'] as const) {
    differ(last.seq, `call.${field}`, call[field], progress!.record[field]);
  }
  differ(last.seq, 'call.outcomeDetail', call.outcomeDetail, progress!.record.outcomeDetail);
  return result(replayed, progress);
}

/**
 * One logged event applied again as the engine applied it: the call's start (no progress before
 * it) on the exact flow version it was logged with, or an input to the progress before it.
 */
export function reapply(flows: FlowResolver, call: CallRecord, logged: StoredEvent, before: CallProgress | undefined): Step {
  if (!before) {
    const customer = logged.payload.customer as CustomerProfile;
    return beginCall(
      flows.exact(call.flowId, call.flowVersion, customer?.region),
      {
        callId: call.id,
        agentId: logged.agentId,
        at: logged.at,
        callerNumber: String(logged.payload.callerNumber),
        customer,
        ...(logged.payload.cti ? { cti: logged.payload.cti as { ctiCallId: string; ivrPath: string[] } } : {}),
        ...(typeof logged.payload.training === 'string' ? { training: logged.payload.training } : {}),
        ...(logged.payload.callback ? { callback: logged.payload.callback as CallbackContext } : {}),
      },
      flows,
    );
  }
  return advance(before, { type: logged.type, payload: logged.payload, at: logged.at } as CallInput, flows);
}
