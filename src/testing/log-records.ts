import type { CallRecord, LoggedEvent } from '../decision-log/decision-log';

/** A call row of the log at `seq` (state `s<seq>`, flow `f`@1), for the decision-log and migration specs. */
export const callRecord = (id: string, seq: number, over: Partial<CallRecord> = {}): CallRecord => ({
  id,
  flowId: 'f',
  flowVersion: 1,
  agentId: 'a',
  callerNumber: '13800000001',
  status: 'active',
  outcome: null,
  outcomeDetail: null,
  state: `s${seq}`,
  currentFlowId: 'f',
  currentFlowVersion: 1,
  seq,
  startedAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
  endedAt: null,
  ...over,
});

/** Event `seq` of a call: the start at 1, a decision `s<seq-1>` → `s<seq>` after it. */
export const loggedEvent = (callId: string, seq: number, over: Partial<LoggedEvent> = {}): LoggedEvent => ({
  callId,
  seq,
  type: seq === 1 ? 'call.started' : 'decision',
  payload: { option: 'x', n: seq },
  agentId: 'a',
  flowId: 'f',
  flowVersion: 1,
  stateBefore: seq === 1 ? null : `s${seq - 1}`,
  flowIdAfter: 'f',
  flowVersionAfter: 1,
  stateAfter: `s${seq}`,
  at: '2026-11-23T08:00:00.000Z',
  ...over,
});

/**
 * Three live calls' appends interleaved as the log holds them, `[callId, seq]` in order:
 * c1 ×5, c2 ×3, c3 ×1 (event ids 1–9 in a fresh log).
 */
export const INTERLEAVED_LIVE_CALLS: readonly (readonly [string, number])[] = [
  ['c1', 1],
  ['c2', 1],
  ['c1', 2],
  ['c3', 1],
  ['c2', 2],
  ['c1', 3],
  ['c1', 4],
  ['c2', 3],
  ['c1', 5],
];
