/**
 * The read thread (SqliteReader, sqlite-reader.ts): its own read-only connection to the SQLite file
 * answers the long reads — dashboards' rollup queries, QA's searches — so that a query of a hundred
 * milliseconds over a year of calls never holds the main thread, where the agents' decisions are
 * answered. At the lowest priority it also yields the CPU to them on a small box (serveRequests).
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { serveRequests } from './thread-worker';

export interface ReaderWorkerData {
  file: string;
}

/** One statement; `row` wants the first row, `rows` all of them. Errors carry the driver's message and SQLite code. */
export interface ReadRequest {
  sql: string;
  params: unknown[];
  returns: 'row' | 'rows';
}

function main(): void {
  const { file } = workerData as ReaderWorkerData;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  const statements = new Map<string, Database.Statement>();
  serveRequests<ReadRequest, unknown>((m) => {
    let stmt = statements.get(m.sql);
    if (!stmt) statements.set(m.sql, (stmt = db.prepare(m.sql)));
    return m.returns === 'row' ? stmt.get(...m.params) : stmt.all(...m.params);
  });
}

main();
