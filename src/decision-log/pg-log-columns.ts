import type { CallRecord } from './decision-log';

/** The batch's events, column by column: one multi-row insert with `unnest` whatever the batch's size. */
export function eventColumns(n: number) {
  const col = <T>() => new Array<T>(n);
  return {
    callId: col<string>(),
    seq: col<number>(),
    type: col<string>(),
    payload: col<string>(),
    agentId: col<string>(),
    flowId: col<string>(),
    flowVersion: col<number>(),
    stateBefore: col<string | null>(),
    flowIdAfter: col<string | null>(),
    flowVersionAfter: col<number | null>(),
    stateAfter: col<string>(),
    at: col<string>(),
    prevHash: col<string>(),
    hash: col<string>(),
  };
}

/** The batch's call rows, column by column (a call's last state in the batch wins). */
export function callColumns(batch: readonly { call: CallRecord }[]): unknown[][] {
  const last = new Map<string, CallRecord>();
  for (const { call } of batch) last.set(call.id, call);
  const calls = [...last.values()];
  const of = (f: (c: CallRecord) => unknown) => calls.map(f);
  return [
    of((c) => c.id),
    of((c) => c.flowId),
    of((c) => c.flowVersion),
    of((c) => c.agentId),
    of((c) => c.callerNumber),
    of((c) => c.status),
    of((c) => c.outcome),
    of((c) => (c.outcomeDetail ? JSON.stringify(c.outcomeDetail) : null)),
    of((c) => c.state),
    of((c) => c.currentFlowId),
    of((c) => c.currentFlowVersion),
    of((c) => c.seq),
    of((c) => c.startedAt),
    of((c) => c.updatedAt),
    of((c) => c.endedAt),
  ];
}
