import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { AppError } from './app-error';
import { dialectOf } from './sql-dialect';
import { sqlPort, type SqlPort, type SqlScript } from './sql-port';
import { sqliteHandle } from './sqlite-handle';
import { RequestThread } from './request-thread';
import type { ReadRequest, ReaderWorkerData } from './sqlite-reader.worker';

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
 * replaced (RequestThread). Writes are not its business: transaction() refuses.
 */
export class SqliteReader implements SqlPort {
  readonly dialect = 'sqlite' as const;
  private readonly thread: RequestThread<ReadRequest, unknown, ReaderWorkerData>;

  constructor(file: string, options: SqliteReaderOptions = {}) {
    this.thread = new RequestThread({
      name: 'the read thread',
      file: READER_WORKER_FILE,
      workerData: { file },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      spawn: options.spawn,
    });
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.thread.request({ sql, params, returns: 'rows' }, 'A read')) as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.thread.request({ sql, params, returns: 'row' }, 'A read')) as T | undefined;
  }

  transaction<T>(_script: () => SqlScript<T>): Promise<T> {
    return Promise.reject(new AppError('INTERNAL', 'The read thread runs no transactions (writes go through the main connection)'));
  }

  close(): Promise<void> {
    return this.thread.close();
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
