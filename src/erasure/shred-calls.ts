import { sqlAll, sqlRun, type SqlScript } from '../common/sql-port';
import { PSEUDONYM_PREFIX } from '../metrics/number-pseudonym';

/** An ended call to erase: its id and the caller's number as the `calls` row holds it. */
export interface CallToShred {
  id: string;
  callerNumber: string;
}

/** Calls per erasure transaction: one short write, whatever the number of calls to erase. */
export const SHRED_BATCH = 200;

/**
 * Crypto-shreds ended calls, in one transaction (both stores): the payload keys are destroyed (set
 * to NULL, `erased_at` stamped; a call logged before encryption gets a row saying it is erased), the
 * caller's number in `calls` and in the work items the calls raised becomes its pseudonym and the outcome detail (report fields) is
 * dropped, and the end-of-call outbox's traces of the calls already processed are dropped (the
 * worker drops a pending one when it processes it; this catches rows an older version processed), and so are the
 * survey answers' and the step flags' words about the calls. The events
 * and their hash chain stay as they are. Returns how many of the calls were not erased before.
 * Idempotent: two sweeps (several nodes on PostgreSQL) erasing the same calls at once agree.
 */
export function* shredCalls(calls: readonly CallToShred[], at: string, pseudonymOf: (msisdn: string) => string): SqlScript<number> {
  if (!calls.length) return 0;
  const ids = calls.map((c) => c.id);
  const list = ids.map(() => '?').join(', ');
  const fresh = yield* sqlAll<{ id: string }>(
    `SELECT c.id AS id FROM calls c LEFT JOIN call_keys k ON k.call_id = c.id WHERE c.id IN (${list}) AND k.erased_at IS NULL`,
    ids,
  );
  yield* sqlRun(`UPDATE call_keys SET key = NULL, erased_at = ? WHERE call_id IN (${list}) AND erased_at IS NULL`, [at, ...ids]);
  yield* sqlRun(
    `INSERT INTO call_keys (call_id, key, created_at, erased_at)
     SELECT c.id, NULL, c.started_at, ? FROM calls c WHERE c.id IN (${list}) AND NOT EXISTS (SELECT 1 FROM call_keys k WHERE k.call_id = c.id)
     ON CONFLICT (call_id) DO NOTHING`,
    [at, ...ids],
  );
  // Its mirror in the calls row takes the key row's time (a call erased before the column existed keeps its first erasure's).
  yield* sqlRun(`UPDATE calls SET erased_at = (SELECT k.erased_at FROM call_keys k WHERE k.call_id = calls.id) WHERE id IN (${list})`, ids);
  for (const call of calls) {
    const pseudonym = call.callerNumber.startsWith(PSEUDONYM_PREFIX) ? call.callerNumber : pseudonymOf(call.callerNumber);
    yield* sqlRun(`UPDATE calls SET caller_number = ?, outcome_detail = NULL WHERE id = ?`, [pseudonym, call.id]);
    // The work items the call raised (src/work-items) no longer name the subscriber either.
    yield* sqlRun(`UPDATE work_items SET caller_number = ? WHERE call_id = ?`, [pseudonym, call.id]);
  }
  yield* sqlRun(`UPDATE call_outbox SET trace = NULL WHERE call_id IN (${list}) AND processed_at IS NOT NULL`, ids);
  // The caller's survey words and what agents and QA wrote about the call go too; ratings and flags' reasons stay (docs/SATISFACTION.md §2).
  yield* sqlRun(`UPDATE satisfaction_replies SET answer = '', reference = NULL WHERE call_id IN (${list})`, ids);
  yield* sqlRun(`UPDATE step_flags SET text = '' WHERE call_id IN (${list})`, ids);
  // The words typed with an "other" need (src/metrics) may name the subscriber: dropped, the count stays.
  yield* sqlRun(`UPDATE metric_other_needs SET note = NULL WHERE call_id IN (${list})`, ids);
  return fresh.length;
}

/**
 * Up to `limit` traces that processed outbox rows still hold, dropped; returns how many. The worker
 * drops a trace when it processes its row, so these are rows an older version processed, and each is
 * a page of the caller's number and profile fields in clear (erased calls' included, above). Reads
 * the partial index of such rows (migration KeptOutboxTraces1765710000000): finding none is cheap.
 */
export function* dropProcessedTraces(limit: number): SqlScript<number> {
  const rows = yield* sqlAll<{ id: number }>(
    `SELECT id FROM call_outbox WHERE processed_at IS NOT NULL AND trace IS NOT NULL ORDER BY id LIMIT ${Math.floor(limit)}`,
  );
  if (!rows.length) return 0;
  yield* sqlRun(
    `UPDATE call_outbox SET trace = NULL WHERE id IN (${rows.map(() => '?').join(', ')})`,
    rows.map((r) => r.id),
  );
  return rows.length;
}
