import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { withLogTurn } from '../common/log-pressure';
import { type LogRow, SqliteLogWriter } from './sqlite-log-writer';

/** What the decision log starts its writer thread with. */
export interface LogWriterSettings {
  file: string;
  synchronous: string;
  /** How long a commit waits for another connection's write transaction (ms). */
  busyTimeoutMs: number;
  /** The file's write turns, shared with the end-of-call worker (src/common/log-pressure.ts). */
  turns?: SharedArrayBuffer;
}

/** main → writer: a batch to commit. writer → main: its results, in the batch's order. */
export interface WriteRequest {
  id: number;
  batch: LogRow[];
}

/**
 * The decision log's writer thread: its own connection to the log's SQLite file; batches are
 * committed in the order they arrive, each answered once its transaction is durable.
 */
function run(settings: LogWriterSettings): void {
  const db = new Database(settings.file, { fileMustExist: true, timeout: settings.busyTimeoutMs });
  db.pragma(`synchronous = ${settings.synchronous}`);
  // Checkpoints are the WAL checkpointer's (src/database/wal-checkpointer.ts), never inside a commit.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  const writer = new SqliteLogWriter(db);
  const turns = settings.turns ? new Int32Array(settings.turns) : null;
  parentPort!.on('message', (message: WriteRequest | 'stop') => {
    if (message === 'stop') {
      db.close();
      process.exit(0);
    }
    parentPort!.postMessage({ id: message.id, results: withLogTurn(turns, () => writer.write(message.batch)), batches: writer.batchesCommitted });
  });
}

run(workerData as LogWriterSettings);
