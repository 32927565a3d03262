/**
 * The read thread (SqliteReader, sqlite-reader.ts): its own read-only connection to the SQLite file
 * answers the long reads — dashboards' rollup queries, QA's searches — so that a query of a hundred
 * milliseconds over a year of calls never holds the main thread, where the agents' decisions are
 * answered. At the lowest priority it also yields the CPU to them on a small box.
 */
import Database from 'better-sqlite3';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

export interface ReaderWorkerData {
  file: string;
}

/** main → reader: one statement; `row` wants the first row, `rows` all of them. */
export interface ReadRequest {
  id: number;
  sql: string;
  params: unknown[];
  returns: 'row' | 'rows';
}

/** reader → main: the rows, or what the driver refused (its message and SQLite code). */
export type ReadReply = { id: number; rows: unknown } | { id: number; error: { message: string; code?: string } };

function main(): void {
  const port = parentPort!;
  const { file } = workerData as ReaderWorkerData;
  try {
    setPriority(19); // per thread on Linux; elsewhere (or not permitted) normal priority
  } catch {
    /* normal priority */
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  const statements = new Map<string, Database.Statement>();
  port.on('message', (m: ReadRequest | 'stop') => {
    if (m === 'stop') {
      db.close();
      return port.close();
    }
    let reply: ReadReply;
    try {
      let stmt = statements.get(m.sql);
      if (!stmt) statements.set(m.sql, (stmt = db.prepare(m.sql)));
      reply = { id: m.id, rows: m.returns === 'row' ? stmt.get(...m.params) : stmt.all(...m.params) };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      reply = { id: m.id, error: { message: (e as Error).message, code: typeof code === 'string' ? code : undefined } };
    }
    port.postMessage(reply);
  });
}

main();
