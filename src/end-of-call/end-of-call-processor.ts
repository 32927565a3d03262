import type { CallTrace } from '../calls/step';
import { sqlAll, sqlGet, type SqlPort, sqlRun, type SqlScript } from '../common/sql-port';
import { pgLogUnavailable } from '../decision-log/pg-log-errors';
import { type CallFacts, dimensionsOf, extractFacts } from '../metrics/call-facts';
import { MetricsWriter } from '../metrics/metrics-writer';
import { numberPseudonym, PSEUDONYM_PREFIX } from '../metrics/number-pseudonym';
import { type CallCheckResult, type CallCheckSet, notReplayable, runCallChecks } from '../qa/qa-checks';
import {
  type CallbackOutcome,
  callbackOutcomeOf,
  type NewWorkItem,
  raiseWorkItems,
  type ServiceLevels,
  settleCallback,
  workItemsOf,
} from '../work-items/follow-up';

/** One claimed outbox row's results, worked out inside the transaction that claimed it (pure, no I/O). */
interface Outcome {
  id: number;
  callId: string;
  checks: CallCheckResult[];
  facts: CallFacts | null;
  /** What the call promised, to be followed up (src/work-items). */
  items: NewWorkItem[];
  /** An outbound callback call: how it ended, for the item it made. */
  callback?: CallbackOutcome | null;
}
type OutboxRow = { id: number; callId: string; trace: string };

/** SQLite result codes that say the storage refuses writes (disk full, read-only, I/O error, busy): retry later, never skip. */
const SQLITE_STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|NOMEM|BUSY|LOCKED|PROTOCOL)/;
/** The storage refuses writes (either store): the rows stay pending and the worker retries with backoff. */
export const isStorageFailure = (e: unknown) =>
  SQLITE_STORAGE_FAILURE.test(String((e as { code?: unknown } | null)?.code ?? '')) || pgLogUnavailable(e) !== null;

// Rows without a trace (calls that ended before the outbox existed) wait for the main thread to trace them from the log.
const PENDING = `SELECT id, call_id AS "callId", trace FROM call_outbox WHERE processed_at IS NULL AND trace IS NOT NULL ORDER BY attempts, id LIMIT ?`;
const ONE_PENDING = `SELECT id, call_id AS "callId", trace FROM call_outbox WHERE id = ? AND processed_at IS NULL AND trace IS NOT NULL`;
const STILL_PENDING = `SELECT 1 AS one FROM call_outbox WHERE id = ? AND processed_at IS NULL`;
/**
 * Done: the trace goes with it. Nothing reads a processed row's trace (its QA results, metrics and work
 * items are written in this transaction), and it holds the caller's number and profile fields in clear
 * beside a log whose payloads are encrypted per call (docs/RELIABILITY.md "Erasure"), ~3 KB a call.
 */
const MARK_DONE = `UPDATE call_outbox SET processed_at = ?, last_error = NULL, trace = NULL WHERE id = ? AND processed_at IS NULL`;
const MARK_FAILED = `UPDATE call_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND processed_at IS NULL`;
/**
 * PostgreSQL: one transaction at a time per caller number (a transaction-scoped advisory lock,
 * taken in one statement in a fixed order). A call's repeat-contact gap is worked out from the
 * caller's other calls in metric_segments; two workers writing two calls of one caller at once
 * would each miss the other's uncommitted rows.
 */
const LOCK_CALLERS = `SELECT pg_advisory_xact_lock(1818, h) FROM (SELECT DISTINCT hashtext(c) AS h FROM unnest(?::text[]) AS c ORDER BY h) AS callers`;
const INSERT_CHECK = `INSERT INTO call_check_results (call_id, check_id, applicable, passed, findings, checked_at)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id, check_id) DO NOTHING`;

/**
 * The end-of-call work on a connection of its own (no Nest: it runs on the worker thread,
 * end-of-call.worker.ts, and in specs), on either store: claims pending outbox rows, works out each
 * call's QA checks, metrics facts and work items (what it promised: src/work-items) from the trace
 * the call carried, and writes them, the rollups and the rows' `processed_at` in ONE transaction. Exactly once: rows are claimed inside the
 * transaction that completes them, QA rows are inserted only where absent and the metrics writer
 * skips a call it has, so a row processed twice changes nothing the second time; a crash before
 * commit leaves the row pending and it is done again in full.
 *
 * Claim: on SQLite (one worker per file) the rows are read and their results worked out BEFORE the
 * write transaction, which only checks each row is still pending and writes — the file's single
 * write lock is held for the writes alone, in a turn agreed with the decision log (`writeTurn`,
 * src/common/log-pressure.ts). On PostgreSQL the transaction locks its rows `FOR UPDATE SKIP
 * LOCKED`, so the workers of several nodes share the queue without waiting on each other or taking
 * a row twice (row locks: the log is not held up).
 */
export class EndOfCallProcessor {
  private readonly writer: MetricsWriter;
  private readonly lock: string;
  private readonly shareKeys: string;

  constructor(
    private readonly sql: SqlPort,
    private readonly checks: CallCheckSet,
    /** The key of the callers' pseudonyms in the metrics tables (number-pseudonym.ts). */
    private readonly numberKey: string,
    private readonly now: () => string = () => new Date().toISOString(),
    /** Runs a write transaction when the store's writers agree it may (SQLite: after the log's commits). */
    private readonly writeTurn: <T>(write: () => Promise<T>) => Promise<T> = (write) => write(),
    /** The service-level policy the call's work items are raised under; none: no items (older specs). */
    private readonly serviceLevels: ServiceLevels | null = null,
  ) {
    this.writer = new MetricsWriter(sql);
    this.lock = sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    this.shareKeys = sql.dialect === 'postgres' ? ' FOR SHARE' : '';
  }

  /**
   * Processes up to `limit` pending rows; returns how many were taken off the queue. Throws when
   * the storage refuses the write (the rows stay pending; the caller retries with backoff). A row
   * whose write fails for another reason is retried alone, and left pending with its error if it
   * still fails, so one bad row never holds up the others.
   */
  async processBatch(limit: number): Promise<number> {
    let claimed: OutboxRow[] = [];
    try {
      if (this.sql.dialect === 'sqlite') {
        claimed = await this.sql.all<OutboxRow>(PENDING, [limit]);
        if (!claimed.length) return 0;
        const outcomes = claimed.map((row) => this.outcomeOf(row));
        return await this.writeTurn(() => this.sql.transaction(() => this.write(outcomes, true)));
      }
      return await this.sql.transaction(() => this.claimAndWrite(PENDING + this.lock, [limit], (rows) => (claimed = rows)));
    } catch (batchError) {
      if (isStorageFailure(batchError)) {
        await this.noteFailure(claimed, batchError);
        throw batchError;
      }
      let done = 0;
      for (const row of claimed) {
        try {
          done += await this.writeTurn(() => this.sql.transaction(() => this.claimAndWrite(ONE_PENDING + this.lock, [row.id])));
        } catch (e) {
          await this.noteFailure([row], e);
          if (isStorageFailure(e)) throw e;
        }
      }
      return done;
    }
  }

  /** Pending rows left (with a trace or not). */
  async pending(): Promise<number> {
    return (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM call_outbox WHERE processed_at IS NULL`))!.n;
  }

  /** A transaction that claims the rows, works out their results and writes them. */
  private *claimAndWrite(claim: string, params: unknown[], claimedRows?: (rows: OutboxRow[]) => void): SqlScript<number> {
    const rows = yield* sqlAll<OutboxRow>(claim, params);
    claimedRows?.(rows);
    if (!rows.length) return 0;
    return yield* this.write(
      rows.map((row) => this.outcomeOf(row)),
      false,
    );
  }

  /**
   * Writes the results and marks the rows done, in the caller's transaction. `recheck`: the rows were
   * read before it began, so each is written only if still pending (a row done meanwhile is skipped).
   */
  private *write(outcomes: Outcome[], recheck: boolean): SqlScript<number> {
    const checkedAt = this.now();
    if (recheck) {
      const pending: Outcome[] = [];
      for (const o of outcomes) if ((yield* sqlGet(STILL_PENDING, [o.id])) !== undefined) pending.push(o);
      outcomes = pending;
    }
    if (this.sql.dialect === 'postgres') {
      const callers = outcomes.flatMap((o) => (o.facts ? [o.facts.call.callerNumber] : []));
      if (callers.length) yield* sqlRun(LOCK_CALLERS, [callers]);
    }
    const facts: CallFacts[] = [];
    const items: NewWorkItem[] = [];
    let done = 0;
    for (const o of outcomes) {
      for (const c of o.checks) {
        yield* sqlRun(INSERT_CHECK, [o.callId, c.id, c.applicable ? 1 : 0, c.passed ? 1 : 0, JSON.stringify(c.findings), checkedAt]);
      }
      if (o.facts) facts.push(o.facts);
      items.push(...o.items);
      if (o.callback) yield* settleCallback(o.callback, checkedAt);
      // Claimed (or re-checked) in this transaction, so still pending: each is marked.
      yield* sqlRun(MARK_DONE, [checkedAt, o.id]);
      done++;
    }
    if (facts.length) yield* this.writer.writeScript(facts);
    if (items.length) yield* raiseWorkItems(yield* this.erasedNumbersHidden(items));
    return done;
  }

  /**
   * A call erased while its row waited (a subscriber's erasure, src/erasure) raises its items under
   * the number's pseudonym, as the erasure left the call's other items. On PostgreSQL the key rows are
   * read FOR SHARE: an erasure under way (its first write is the key row) is waited for, and one that
   * starts meanwhile waits for this transaction, then pseudonymises the items it wrote.
   */
  private *erasedNumbersHidden(items: NewWorkItem[]): SqlScript<NewWorkItem[]> {
    const ids = [...new Set(items.map((i) => i.callId))];
    // Every key row, filtered here: a row locked FOR SHARE is read again as its erasure left it, a row a WHERE on erased_at skipped is not.
    const keys = yield* sqlAll<{ callId: string; erasedAt: string | null }>(
      `SELECT call_id AS "callId", erased_at AS "erasedAt" FROM call_keys WHERE call_id IN (${ids.map(() => '?').join(', ')})${this.shareKeys}`,
      ids,
    );
    const gone = new Set(keys.filter((k) => k.erasedAt !== null).map((k) => k.callId));
    if (!gone.size) return items;
    const hidden = (n: string) => (n.startsWith(PSEUDONYM_PREFIX) ? n : numberPseudonym(this.numberKey, n));
    return items.map((i) => (gone.has(i.callId) ? { ...i, callerNumber: hidden(i.callerNumber) } : i));
  }

  /** Pure: the call's checks and facts from its trace. A trace that cannot be read is a failed `replayable` check and no facts. */
  private outcomeOf(row: OutboxRow): Outcome {
    try {
      const trace = JSON.parse(row.trace) as CallTrace;
      // A training call (src/training) is scored by the training module: nothing of it reaches operations or QA samples.
      if (trace.training) return { id: row.id, callId: row.callId, checks: [], facts: null, items: [] };
      if (trace.notReplayable) return { id: row.id, callId: row.callId, checks: [notReplayable(trace.notReplayable)], facts: null, items: [] };
      const dims = dimensionsOf(trace.callId, trace.agentId, trace.startedAt, {
        callerNumber: numberPseudonym(this.numberKey, trace.callerNumber),
        customer: trace.customer,
      });
      const items = this.serviceLevels ? workItemsOf(trace, this.serviceLevels) : [];
      const callback = callbackOutcomeOf(trace);
      return { id: row.id, callId: row.callId, checks: runCallChecks(trace, this.checks), facts: extractFacts(dims, trace), items, callback };
    } catch (e) {
      return { id: row.id, callId: row.callId, checks: [notReplayable(`end-of-call trace unreadable: ${(e as Error).message}`)], facts: null, items: [] };
    }
  }

  private async noteFailure(rows: OutboxRow[], error: unknown): Promise<void> {
    if (!rows.length) return;
    const message = `${String((error as { code?: unknown }).code ?? '')} ${(error as Error).message}`.trim().slice(0, 500);
    try {
      await this.sql.transaction(function* () {
        for (const row of rows) yield* sqlRun(MARK_FAILED, [message, row.id]);
      });
    } catch {
      // The storage refuses even this (disk full): the rows stay pending all the same.
    }
  }
}
