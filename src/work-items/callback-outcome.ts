import type { CallTrace } from '../calls/step';
import { sqlGet, sqlRun, type SqlScript } from '../common/sql-port';

/** How an outbound callback call ended, for the callback item it made (docs/FOLLOW-UP.md). */
export interface CallbackOutcome {
  workItemId: number;
  callId: string;
  completed: boolean;
  outcome: string | null;
}

export const callbackOutcomeOf = (trace: CallTrace): CallbackOutcome | null =>
  trace.callback ? { workItemId: trace.callback.workItemId, callId: trace.callId, completed: trace.status === 'completed', outcome: trace.outcome } : null;

const ITEM = `SELECT status FROM work_items WHERE id = ? AND type = 'callback' AND outbound_call_id = ?`;
const RESOLVE = `UPDATE work_items SET status = 'resolved', resolved_at = ?, updated_at = ?
  WHERE id = ? AND outbound_call_id = ? AND status IN ('open', 'in-progress')`;
const NOTED = `SELECT 1 AS one FROM work_item_history WHERE item_id = ? AND note = ?`;
const HISTORY = `INSERT INTO work_item_history (item_id, at, actor, action, from_status, to_status, note) VALUES (?, ?, 'system:call', ?, ?, ?, ?)`;

/**
 * In the end-of-call transaction: a callback whose outbound call completed is resolved (the note
 * names the call and its outcome); one whose call did not complete (no answer, cut off) stays in
 * progress with a history line saying so — the desk calls again. Only the call linked to the item
 * settles it, and only once: processed again, the call changes nothing.
 */
export function* settleCallback(o: CallbackOutcome, at: string): SqlScript<void> {
  const item = yield* sqlGet<{ status: string }>(ITEM, [o.workItemId, o.callId]);
  if (!item || item.status === 'resolved' || item.status === 'closed') return;
  const note = o.completed ? `called back on call ${o.callId}: ${o.outcome ?? 'completed'}` : `outbound call ${o.callId} did not complete: call again`;
  if ((yield* sqlGet(NOTED, [o.workItemId, note])) !== undefined) return;
  if (o.completed) yield* sqlRun(RESOLVE, [at, at, o.workItemId, o.callId]);
  yield* sqlRun(HISTORY, [o.workItemId, at, o.completed ? 'status' : 'called', item.status, o.completed ? 'resolved' : item.status, note]);
}
