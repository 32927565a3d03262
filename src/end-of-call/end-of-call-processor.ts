import type { Database, Statement } from 'better-sqlite3';
import type { CallTrace } from '../calls/step';
import { type CallFacts, dimensionsOf, extractFacts } from '../metrics/call-facts';
import { MetricsWriter } from '../metrics/metrics-writer';
import { type CallCheckResult, type CallCheckSet, notReplayable, runCallChecks } from '../qa/qa-checks';

/** One claimed outbox row's results, worked out before the write transaction opens. */
interface Outcome {
  id: number;
  callId: string;
  checks: CallCheckResult[];
  facts: CallFacts | null;
}

/** SQLite result codes that say the storage refuses writes (disk full, read-only, I/O error, busy): retry later, never skip. */
const STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|NOMEM|BUSY|LOCKED|PROTOCOL)/;
export const isStorageFailure = (e: unknown) => STORAGE_FAILURE.test(String((e as { code?: unknown } | null)?.code ?? ''));

/**
 * The end-of-call work on its own connection (no Nest: it runs on the worker thread,
 * end-of-call.worker.ts, and in specs): takes pending outbox rows, works out each call's QA checks
 * and metrics facts from the trace the call carried, and writes them, the rollups and the rows'
 * `processed_at` in ONE transaction. Exactly once: the transaction re-reads that each row is still
 * pending, QA rows are inserted only where absent and the metrics writer skips a call it has, so a
 * row processed twice (a crash after commit, two workers) changes nothing the second time; a
 * crash before commit leaves the row pending and it is done again in full.
 *
 * Claim on SQLite: one worker per database, rows read oldest first without a lock, then the write
 * transaction (BEGIN IMMEDIATE, the single writer lock) re-checks them. A PostgreSQL version
 * claims inside the write transaction with `SELECT … FROM call_outbox WHERE processed_at IS NULL
 * ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED`, so several workers share the queue without waiting
 * on each other; the rest of this transaction is the same.
 */
export class EndOfCallProcessor {
  private readonly claim: Statement;
  private readonly stillPending: Statement;
  private readonly markDone: Statement;
  private readonly markFailed: Statement;
  private readonly insertCheck: Statement;
  private readonly writer: MetricsWriter;

  constructor(
    private readonly db: Database,
    private readonly checks: CallCheckSet,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    // Rows without a trace (calls that ended before the outbox existed) wait for the main thread to trace them from the log.
    this.claim = db.prepare(
      `SELECT id, call_id AS callId, trace FROM call_outbox WHERE processed_at IS NULL AND trace IS NOT NULL ORDER BY attempts, id LIMIT ?`,
    );
    this.stillPending = db.prepare(`SELECT 1 FROM call_outbox WHERE id = ? AND processed_at IS NULL`);
    this.markDone = db.prepare(`UPDATE call_outbox SET processed_at = ?, last_error = NULL WHERE id = ? AND processed_at IS NULL`);
    this.markFailed = db.prepare(`UPDATE call_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND processed_at IS NULL`);
    this.insertCheck = db.prepare(`INSERT INTO call_check_results (call_id, check_id, applicable, passed, findings, checked_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id, check_id) DO NOTHING`);
    this.writer = new MetricsWriter(db);
  }

  /**
   * Processes up to `limit` pending rows; returns how many were taken off the queue. Throws when
   * the storage refuses the write (the rows stay pending; the caller retries with backoff). A row
   * whose write fails for another reason is retried alone, and left pending with its error if it
   * still fails, so one bad row never holds up the others.
   */
  processBatch(limit: number): number {
    const rows = this.claim.all(limit) as { id: number; callId: string; trace: string }[];
    if (!rows.length) return 0;
    const outcomes = rows.map((row) => this.outcomeOf(row));
    try {
      return this.commit(outcomes);
    } catch (batchError) {
      if (isStorageFailure(batchError)) {
        this.noteFailure(outcomes, batchError);
        throw batchError;
      }
      let done = 0;
      for (const outcome of outcomes) {
        try {
          done += this.commit([outcome]);
        } catch (e) {
          this.noteFailure([outcome], e);
          if (isStorageFailure(e)) throw e;
        }
      }
      return done;
    }
  }

  /** Pending rows left (with a trace or not). */
  pending(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM call_outbox WHERE processed_at IS NULL`).get() as { n: number }).n;
  }

  /** Pure: the call's checks and facts from its trace. A trace that cannot be read is a failed `replayable` check and no facts. */
  private outcomeOf(row: { id: number; callId: string; trace: string }): Outcome {
    try {
      const trace = JSON.parse(row.trace) as CallTrace;
      if (trace.notReplayable) return { id: row.id, callId: row.callId, checks: [notReplayable(trace.notReplayable)], facts: null };
      const dims = dimensionsOf(trace.callId, trace.agentId, trace.startedAt, { callerNumber: trace.callerNumber, customer: trace.customer });
      return { id: row.id, callId: row.callId, checks: runCallChecks(trace, this.checks), facts: extractFacts(dims, trace) };
    } catch (e) {
      return { id: row.id, callId: row.callId, checks: [notReplayable(`end-of-call trace unreadable: ${(e as Error).message}`)], facts: null };
    }
  }

  private commit(outcomes: Outcome[]): number {
    const checkedAt = this.now();
    return this.db
      .transaction(() => {
        const facts: CallFacts[] = [];
        let done = 0;
        for (const o of outcomes) {
          if (!this.stillPending.get(o.id)) continue;
          for (const c of o.checks) {
            this.insertCheck.run(o.callId, c.id, c.applicable ? 1 : 0, c.passed ? 1 : 0, JSON.stringify(c.findings), checkedAt);
          }
          if (o.facts) facts.push(o.facts);
          done += this.markDone.run(checkedAt, o.id).changes;
        }
        if (facts.length) this.writer.writeMany(facts);
        return done;
      })
      .immediate();
  }

  private noteFailure(outcomes: Outcome[], error: unknown): void {
    const message = `${String((error as { code?: unknown }).code ?? '')} ${(error as Error).message}`.trim();
    try {
      this.db.transaction(() => outcomes.forEach((o) => this.markFailed.run(message.slice(0, 500), o.id))).immediate();
    } catch {
      // The storage refuses even this (disk full): the rows stay pending all the same.
    }
  }
}
