import type { Divergence } from '../../protocol/calls';
import { AppError } from '../common/app-error';
import type { CallRecord, StoredEvent } from '../decision-log/decision-log';
import type { FlowCatalog } from '../flows/flow-catalog.service';
import { flowUnavailable } from '../flows/stored-version';

/** An active call the boot could not rebuild: reported in health; attaching to it answers a typed error. */
export interface CallNotRecovered {
  callId: string;
  agentId: string;
  startedAt: string;
  /** The version that does not load, or (for a log that does not replay) the business the call was in. */
  flowId: string;
  version: number;
  reason: 'flow-version-does-not-load' | 'log-does-not-replay';
}

export function notRecovered(call: CallRecord, error: unknown): CallNotRecovered {
  const unavailable = error instanceof AppError && error.code === 'FLOW_UNAVAILABLE' ? (error as AppError<'FLOW_UNAVAILABLE'>).details : undefined;
  return {
    callId: call.id,
    agentId: call.agentId,
    startedAt: call.startedAt,
    flowId: unavailable?.flowId ?? call.currentFlowId ?? call.flowId,
    version: unavailable?.version ?? call.currentFlowVersion ?? call.flowVersion,
    reason: unavailable ? 'flow-version-does-not-load' : 'log-does-not-replay',
  };
}

/**
 * Why a call's log did not replay: typed (FLOW_UNAVAILABLE, so the agent is told why) when a version
 * the call ran on does not load on this server; otherwise the first divergence.
 */
export function replayFailure(
  catalog: Pick<FlowCatalog, 'notLoadingVersion'>,
  record: CallRecord,
  events: readonly StoredEvent[],
  divergence: Divergence | undefined,
): Error {
  const missing = versionsOf(record, events).find(([flowId, version]) => catalog.notLoadingVersion(flowId, version));
  if (missing) return flowUnavailable(missing[0], missing[1], record.id);
  return new Error(`log of call ${record.id} does not replay: ${JSON.stringify(divergence)}`);
}

/** Every flow version a call's log names, the one it started on first. */
export function versionsOf(record: CallRecord, events: readonly StoredEvent[]): [string, number][] {
  const all: [string, number][] = [[record.flowId, record.flowVersion]];
  for (const e of events) {
    all.push([e.flowId, e.flowVersion]);
    if (e.flowIdAfter !== null && e.flowVersionAfter !== null) all.push([e.flowIdAfter, e.flowVersionAfter]);
  }
  return all;
}
