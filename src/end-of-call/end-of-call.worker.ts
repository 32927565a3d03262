/**
 * The end-of-call worker thread (started by EndOfCallWorker): its own database connection (the
 * SQLite file, or a small `pg` pool on DATABASE_URL), the
 * processor in a loop. It works whenever there are pending outbox rows — at start (catching up on
 * calls that ended before a crash or while the disk was full), when calls ended (wake-signal.ts),
 * and every `pollMs` — and backs off when the storage refuses its writes (the rows stay
 * pending and are retried until they go through).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { installPgTypeParsers } from '../common/sql-dialect';
import type { WalRestart } from '../common/wal-restarter';
import { LOG_COMMITS, withEndOfCallTurn } from '../common/log-pressure';
import { ownSqlPort, type SqlPort } from '../common/sql-port';
import type { CallCheckSet } from '../qa/qa-checks';
import type { ServiceLevels } from '../work-items/follow-up';
import { pseudonymiseLegacyNumbers } from '../metrics/legacy-numbers';
import { DutyCycle } from './duty-cycle';
import { EndOfCallProcessor } from './end-of-call-processor';
import { WakeSignal } from './wake-signal';
import { walKeeper } from './wal-keeping';

export interface EndOfCallWorkerData {
  store: { sqlite: string } | { postgres: string };

  checks: CallCheckSet;
  /** The policy ended calls' work items are raised under (validated at boot by the work-items module). */
  serviceLevels: ServiceLevels;
  /** The key of the callers' pseudonyms in the metrics tables. */
  numberKey: string;
  batch: number;
  /** A pause after each batch (tests keep a backlog with it). */
  pauseMs: number;
  /** The share of a core the worker keeps busy while the log commits (duty-cycle.ts). */
  cpuShare: number;
  /** The SQLite file's write turns, shared with the decision log's writer (src/common/log-pressure.ts). */
  logPressure?: SharedArrayBuffer;
  /** SQLite: the write-ahead log is started over once past this size, by whichever writer sees it (wal-keeping.ts). */
  walRestartBytes: number;
  pollMs: number;
  /** Calls ended since it last looked, and whether it sleeps (wake-signal.ts). */
  wakeSignal: SharedArrayBuffer;
}

/** What the worker tells the main thread. */
export type EndOfCallReport =
  { kind: 'processed'; count: number } | { kind: 'failed'; message: string; retryInMs: number } | { kind: 'walRestart'; restart: WalRestart };

const RETRY_MS = 100;
/** How long a batch's write prefers a gap between the log's commits (appends waiting) before it waits only for a commit under way. */
const PREFER_LOG_GAP_MS = 50;
const RETRY_MAX_MS = 5_000;

function main(): void {
  const port = parentPort!;
  const config = workerData as EndOfCallWorkerData;
  const { sql, close, sqlite } = connect(config.store);
  const turns = config.logPressure && 'sqlite' in config.store ? new Int32Array(config.logPressure) : null;
  // The log goes first: a decision waits on its commit, this work waits for nobody (bounded, so it never starves).
  // Time spent waiting for a turn is not work: the duty cycle counts only the rest of a batch.
  let waitedMs = 0;
  const inTurn = <T>(write: () => Promise<T>) => {
    const asked = performance.now();
    return withEndOfCallTurn(turns, PREFER_LOG_GAP_MS, () => {
      waitedMs += performance.now() - asked;
      return write();
    });
  };
  const processor = new EndOfCallProcessor(sql, config.checks, config.numberKey, undefined, inTurn, config.serviceLevels);
  const dutyCycle = new DutyCycle(config.cpuShare);
  const signal = new WakeSignal(config.wakeSignal);
  const keepWal = sqlite ? walKeeper(sqlite, config.walRestartBytes, inTurn) : null;

  let stopping = false;
  let wake: (() => void) | null = null;
  let woken = false;
  port.on('message', (m: unknown) => {
    if (m === 'stop') stopping = true;
    woken = true;
    wake?.();
  });
  /** Waits `ms`; a message (a call ended, stop) ends the wait early only when `wakeable` — a stop always does. */
  const pause = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = () => (wakeable || stopping) && done();
    });

  void (async () => {
    let failures = 0;
    let legacyNumbers = true;
    while (!stopping) {
      woken = false;
      const mark = signal.mark();
      let count: number;
      let rest: number;
      try {
        // Once, before any new facts: numbers that older versions stored in clear become pseudonyms.
        if (legacyNumbers) {
          await pseudonymiseLegacyNumbers(sql, config.numberKey, (write) => withEndOfCallTurn(turns, PREFER_LOG_GAP_MS, write));
          legacyNumbers = false;
        }
        const commitsBefore = turns ? Atomics.load(turns, LOG_COMMITS) : 0;
        const started = performance.now();
        waitedMs = 0;
        count = await processor.processBatch(config.batch);
        failures = 0;
        const logBusy = turns !== null && Atomics.load(turns, LOG_COMMITS) !== commitsBefore;
        rest = count ? dutyCycle.restAfter(performance.now() - started - waitedMs, logBusy) : 0;
        // While the log commits, its writer starts the log over between its commits (copied first, on
        // another thread); a restart here would hold those commits. With the log quiet, it is this thread's.
        const restart = count && keepWal && !logBusy ? await keepWal() : null;
        if (restart) port.postMessage({ kind: 'walRestart', restart } satisfies EndOfCallReport);
      } catch (e) {
        const retryInMs = Math.min(RETRY_MS * 2 ** failures++, RETRY_MAX_MS);
        const report: EndOfCallReport = { kind: 'failed', message: `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`, retryInMs };
        port.postMessage(report);
        // Only a stop ends the wait early: a call ending now does not make the disk less full.
        await pause(retryInMs, false);
        continue;
      }
      if (count) port.postMessage({ kind: 'processed', count } satisfies EndOfCallReport);
      if (count && config.pauseMs + rest > 0) await pause(config.pauseMs + rest, false);
      else if (count === config.batch) await new Promise((r) => setImmediate(r));
      // Calls that ended while it looked (their rows possibly committed after its read): look again.
      else if (!woken && signal.sleepUnless(mark)) {
        await pause(config.pollMs, true);
        signal.awake();
      }
    }
    await close();
    port.close();
  })();
}

function connect(store: EndOfCallWorkerData['store']): { sql: SqlPort; close: () => Promise<void>; sqlite?: Database.Database } {
  if ('postgres' in store) {
    installPgTypeParsers();
    // Durable before processed: the same synchronous_commit as the main pool.
    const pool = new Pool({ connectionString: store.postgres, max: 2, options: '-c synchronous_commit=on' });
    // An idle connection the server drops must not kill the thread; the next query reconnects.
    pool.on('error', () => undefined);
    return { sql: ownSqlPort({ postgres: pool }), close: () => pool.end() };
  }
  const db = new Database(store.sqlite, { fileMustExist: true, timeout: 5_000 });
  // No fsync of its own (WAL, NORMAL): its commit holds the file's write lock, which the log's commits
  // wait for. Losing it to a power cut loses nothing: the outbox rows it marked done are in the same
  // transaction, so they are pending again and done again; and the log's next FULL commit syncs the
  // WAL, this transaction's frames with it (they come first in the file).
  db.pragma(`synchronous = NORMAL`);
  // Checkpoints are the checkpointing thread's (WalCheckpointer), as on the main connection — except
  // that, with the log quiet, this thread starts the write-ahead log over itself (wal-keeping.ts).
  db.pragma('wal_autocheckpoint = 0');
  return { sql: ownSqlPort({ sqlite: db }), close: async () => void db.close(), sqlite: db };
}

main();
