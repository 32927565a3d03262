import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type LogRow, type RowResult, SqliteLogWriter } from './sqlite-log-writer';
import type { LogWriterSettings, WriteRequest, WriterMessage } from './sqlite-log-writer.worker';
import { type WalRestart, WalRestarter } from '../common/wal-restarter';

/** A batch's results, in its order, and how long its transaction took where it ran (its turn, the statements, COMMIT and fsync). */
export interface Committed {
  results: RowResult[];
  commitMs: number;
}

/** Where the decision log's batches are committed. */
export interface LogSink {
  write(batch: LogRow[]): Promise<Committed>;
  close(): Promise<void>;
}

/** How soon a commit waiting for a TypeORM transaction on the shared connection looks again. */
const FOREIGN_TRANSACTION_RETRY_MS = 1;

/**
 * Commits on the main connection, in-process: unit tests (no built worker), and the fallback
 * should the writer thread die.
 */
export class InThreadLogSink implements LogSink {
  private readonly writer: SqliteLogWriter;
  private readonly restarter: WalRestarter;

  constructor(
    private readonly db: Database,
    walRestartBytes: number,
    private readonly onWalRestart: (r: WalRestart) => void,
  ) {
    this.writer = new SqliteLogWriter(db);
    this.restarter = new WalRestarter(db, walRestartBytes);
  }

  async write(batch: LogRow[]): Promise<Committed> {
    // TypeORM keeps its transactions open across awaits on the same connection: a commit now would
    // only be a savepoint inside one — not durable until it commits, and gone if it rolls back.
    while (this.db.inTransaction) await new Promise((r) => setTimeout(r, FOREIGN_TRANSACTION_RETRY_MS));
    const started = performance.now();
    const results = this.writer.write(batch);
    const commitMs = performance.now() - started;
    if (this.restarter.due()) this.onWalRestart(this.restarter.restart());
    return { results, commitMs };
  }

  async close(): Promise<void> {}
}

const WORKER_FILE = path.join(__dirname, 'sqlite-log-writer.worker.js');

/** True where the writer thread's script is built (dist/), not when the TypeScript runs under Jest. */
export function workerLogSinkAvailable(): boolean {
  return existsSync(WORKER_FILE);
}

/**
 * The writer thread's young generation, in MB. Left to V8 it grew to ~15 MB as calls started, kept
 * for good (10,000 idle calls: ~0.9 KiB of RSS per call); what the thread allocates per batch dies
 * with the batch, so a small one only scavenges more often (the thread's share of a core moved by
 * ~1 point at 2,000 calls; docs/PERFORMANCE.md, twenty-fifth session).
 */
const WRITER_YOUNG_GENERATION_MB = 6;

/** Commits on the writer thread's own connection; batches answered in the order they were sent. */
export class WorkerLogSink implements LogSink {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Committed) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private stopping = false;

  constructor(settings: LogWriterSettings, onStopped: (why: string) => void, onWalRestart: (r: WalRestart) => void) {
    this.worker = new Worker(WORKER_FILE, { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    this.worker.on('message', (message: WriterMessage) => {
      if ('walRestart' in message) return onWalRestart(message.walRestart);
      this.waiting.get(message.id)?.resolve({ results: message.results, commitMs: message.commitMs });
      this.waiting.delete(message.id);
    });
    const stopped = (why: string) => {
      if (this.stopping) return;
      this.stopping = true;
      // Whether the last batch committed is unknown: none of its callers is told it did.
      const unavailable = Object.assign(new Error(`the log's writer thread stopped: ${why}`), { code: 'SQLITE_IOERR_WRITER_STOPPED' });
      for (const w of this.waiting.values()) w.reject(unavailable);
      this.waiting.clear();
      onStopped(why);
    };
    this.worker.on('error', (e) => stopped(e.message));
    this.worker.on('exit', (code) => stopped(`exit ${code}`));
    this.worker.unref();
  }

  write(batch: LogRow[]): Promise<Committed> {
    if (this.stopping) return Promise.reject(Object.assign(new Error("the log's writer thread is stopped"), { code: 'SQLITE_IOERR_WRITER_STOPPED' }));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch } satisfies WriteRequest);
    });
  }

  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const exited = new Promise((r) => this.worker.once('exit', r));
    this.worker.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000).unref())]);
  }
}
