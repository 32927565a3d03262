import { sqlAll, type SqlPort, sqlRun } from '../common/sql-port';
import { numberPseudonym, PSEUDONYM_PREFIX } from './number-pseudonym';

const PLAIN = `SELECT DISTINCT caller_number AS n FROM metric_segments WHERE caller_number NOT LIKE '${PSEUDONYM_PREFIX}%'
  UNION SELECT DISTINCT caller_number AS n FROM metric_calls WHERE caller_number NOT LIKE '${PSEUDONYM_PREFIX}%' LIMIT ?`;
/** Whether any is left: stops at the first (PLAIN sorts them all for DISTINCT); a whole scan of both tables when none is. */
const ANY_PLAIN = `SELECT 1 AS one FROM metric_segments WHERE caller_number NOT LIKE '${PSEUDONYM_PREFIX}%'
  UNION ALL SELECT 1 AS one FROM metric_calls WHERE caller_number NOT LIKE '${PSEUDONYM_PREFIX}%' LIMIT 1`;

/**
 * Metrics rows written before numbers were pseudonymised still hold them in clear: converts up to
 * `limit` distinct numbers per transaction (both tables, so repeat contacts stay linked), in the
 * write turn the store's writers agree on, until none is left. Idempotent; run by the end-of-call
 * worker at start, before any new facts. Returns the numbers converted.
 */
export async function pseudonymiseLegacyNumbers(
  sql: SqlPort,
  key: string,
  writeTurn: <T>(write: () => Promise<T>) => Promise<T> = (write) => write(),
  limit = 500,
): Promise<number> {
  // Looked for first outside the write turn: once every number is a pseudonym (every start but the
  // first after the upgrade) the scan of both tables (123 ms at 500,000 calls) reads alone, and the
  // log's commits no longer wait for it in the end-of-call turn.
  if (!(await sql.get(ANY_PLAIN))) return 0;
  let converted = 0;
  for (;;) {
    const done = await writeTurn(() =>
      sql.transaction(function* () {
        const numbers = yield* sqlAll<{ n: string }>(PLAIN, [limit]);
        for (const { n } of numbers) {
          const pseudonym = numberPseudonym(key, n);
          yield* sqlRun(`UPDATE metric_calls SET caller_number = ? WHERE caller_number = ?`, [pseudonym, n]);
          yield* sqlRun(`UPDATE metric_segments SET caller_number = ? WHERE caller_number = ?`, [pseudonym, n]);
        }
        return numbers.length;
      }),
    );
    converted += done;
    if (done < limit) return converted;
  }
}
