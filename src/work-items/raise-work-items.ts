import { sqlGet, sqlRun, type SqlScript } from '../common/sql-port';
import type { NewWorkItem } from './items-from-trace';

const INSERT_ITEM = `INSERT INTO work_items (type, status, priority, call_id, source_seq, flow_id, step_id, business, caller_number,
  customer_tier, receipt_id, desk, assignee, rule, created_at, due_at, updated_at)
  VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
  ON CONFLICT (call_id, source_seq) DO NOTHING RETURNING id`;
const INSERT_CREATED = `INSERT INTO work_item_history (item_id, at, actor, action, from_status, to_status, note)
  VALUES (?, ?, 'system:call', 'created', NULL, 'open', ?)`;

/**
 * Writes the items in the caller's transaction (the end-of-call work's, beside the call's facts),
 * each with its `created` history entry; an item already raised from the same logged event is left
 * as it is — a desk's claim or resolution is never reset by the call being processed again.
 * Returns how many were new.
 */
export function* raiseWorkItems(items: readonly NewWorkItem[]): SqlScript<number> {
  let raised = 0;
  for (const i of items) {
    const row = yield* sqlGet<{ id: number }>(INSERT_ITEM, [
      i.type,
      i.priority,
      i.callId,
      i.sourceSeq,
      i.flowId,
      i.stepId,
      i.business,
      i.callerNumber,
      i.customerTier,
      i.receiptId,
      i.desk,
      i.rule,
      i.createdAt,
      i.dueAt,
      i.createdAt,
    ]);
    if (!row) continue;
    yield* sqlRun(INSERT_CREATED, [row.id, i.createdAt, `${i.type} raised by call ${i.callId} at ${i.flowId}/${i.stepId} (rule ${i.rule})`]);
    raised++;
  }
  return raised;
}
