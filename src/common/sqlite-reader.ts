import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { AppError } from './app-error';
import { dialectOf } from './sql-dialect';
import { sqlPort, type SqlPort, type SqlScript } from './sql-port';
import { sqliteHandle } from './sqlite-handle';
import type { ReadReply, ReadRequest, ReaderWorkerData } from './sqlite-reader.worker';

/** The built read thread: next to this file in dist/ (under Jest the TypeScript has no .js beside it). */
export const READER_WORKER_FILE = path.join(__dirname, 'sqlite-reader.worker.js');

/** Far longer than any dashboard query over a million calls (~0.13 s), far shorter than a client gives up. */
const DEFAULT_TIMEOUT_MS = 30_000;

export interface SqliteReaderOptions {
  timeoutMs?: number;
  /** Starts the thread (tests start the TypeScript through a loader); default: READER_WORKER_FILE. */
  spawn?: (workerData: ReaderWorkerData) => Worker;
}

/**
 * A read-only SqlPort whose statements run on a thread of their own with its own read-only
 * connection (WAL: it sees every committed transaction and never blocks the writers). Started on the
 * first read, started again on the next one should it die; a read that fails or outlasts the timeout
 * is rejected (the driver's error, or INTERNAL) — the caller never hangs, and a stuck thread is
 * replaced. Writes are not its business: transaction() refuses.
 */
export class SqliteReader implements SqlPort {
  readonly dialect = 'sqlite' as const;
  private worker?: Worker;
  private readonly waiting = new Map<number, { resolve: (rows: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly options: SqliteReaderOptions = {},
  ) {}

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.read(sql, params, 'rows')) as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.read(sql, params, 'row')) as T | undefined;
  }

  transaction<T>(_script: () => SqlScript<T>): Promise<T> {
    return Promise.reject(new AppError('INTERNAL', 'The read thread runs no transactions (writes go through the main connection)'));
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new AppError('INTERNAL', 'The read thread stopped (the server is shutting down)'));
    await worker.terminate();
  }

  private read(sql: string, params: unknown[], returns: ReadRequest['returns']): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The read thread is stopped (the server is shutting down)'));
    const worker = this.started();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        // A statement past the timeout cannot be interrupted: the thread is replaced by the next read.
        this.fail(worker, new AppError('INTERNAL', `A read took longer than ${timeoutMs} ms and was abandoned`));
        void worker.terminate();
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, sql, params, returns } satisfies ReadRequest);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const workerData: ReaderWorkerData = { file: this.file };
    const worker = this.options.spawn ? this.options.spawn(workerData) : new Worker(READER_WORKER_FILE, { workerData });
    worker.on('message', (reply: ReadReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return; // timed out meanwhile
      this.waiting.delete(reply.id);
      clearTimeout(w.timer);
      if (!this.waiting.size) worker.unref();
      if ('error' in reply) w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else w.resolve(reply.rows);
    });
    worker.on('error', (e) => this.fail(worker, new AppError('INTERNAL', `The read thread failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, new AppError('INTERNAL', `The read thread exited (${code})`)));
    // Idle, it must not keep the process alive (referenced only while a read is in flight).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The thread is gone (or given up on): every read on it is rejected, and the next one starts another. */
  private fail(worker: Worker, error: AppError): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.waiting.clear();
  }
}

const readers = new WeakMap<DataSource, SqlPort>();

/**
 * The port for long reads (dashboards, searches): on SQLite the read thread, once built (dist/) and
 * on a file; PostgreSQL's queries already leave the event loop (the store's own port); under Jest,
 * or on an in-memory database, the main connection.
 */
export function readerSqlPort(dataSource: DataSource): SqlPort {
  if (dialectOf(dataSource) === 'postgres') return sqlPort(dataSource);
  let port = readers.get(dataSource);
  if (!port) {
    const db: Database = sqliteHandle(dataSource);
    port = existsSync(READER_WORKER_FILE) && !db.memory ? new SqliteReader(db.name) : sqlPort(dataSource);
    readers.set(dataSource, port);
  }
  return port;
}

/** Stops the DataSource's read thread, if it has one (at shutdown). */
export async function closeReader(dataSource: DataSource): Promise<void> {
  const port = readers.get(dataSource);
  readers.delete(dataSource);
  if (port instanceof SqliteReader) await port.close();
}
