import type { SqlPort } from '../common/sql-port';

/**
 * The end-of-call outbox (table `call_outbox`, migration CallOutbox1764748800000): the decision log
 * inserts one row per ended call in the same transaction as the call's last event, so an ended call
 * is never without its row and a row never exists for a call that did not end. The end-of-call
 * worker (src/end-of-call) takes pending rows and sets `processed_at` when the call's QA checks and
 * metrics are written, in the same transaction as they are; the row's trace is dropped then (rows
 * processed by an older version lose theirs in the retention sweep: src/erasure).
 */
export const INSERT_OUTBOX = `INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?) ON CONFLICT (call_id) DO NOTHING`;

export interface OutboxBacklog {
  /** Ended calls whose QA checks and metrics are not written yet. */
  pending: number;
  /** Age of the oldest of them in ms (0 when none). */
  oldestAgeMs: number;
  /** Pending rows the worker has failed on at least once (e.g. the disk was full); it keeps retrying. */
  retrying: number;
}

/** How far behind the end-of-call worker is (GET /api/health). */
export async function outboxBacklog(sql: SqlPort, now = Date.now()): Promise<OutboxBacklog> {
  const row = (await sql.get<{ pending: number; oldest: string | null; retrying: number | null }>(
    `SELECT COUNT(*) AS pending, MIN(created_at) AS oldest, SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS retrying
     FROM call_outbox WHERE processed_at IS NULL`,
  ))!;
  return {
    pending: row.pending,
    oldestAgeMs: row.oldest ? Math.max(0, now - Date.parse(row.oldest)) : 0,
    retrying: row.retrying ?? 0,
  };
}
