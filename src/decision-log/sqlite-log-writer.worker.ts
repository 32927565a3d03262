import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { withLogTurn } from '../common/log-pressure';
import { prepareWritingConnection } from '../common/sqlite-connection';
import { type LogRow, type RowResult, SqliteLogWriter } from './sqlite-log-writer';
import { WalCopier } from './wal-copier';
import { type WalRestart, WalRestarter } from '../common/wal-restarter';

/** What the decision log starts its writer thread with. */
export interface LogWriterSettings {
  file: string;
  synchronous: string;
  /** How long a commit waits for another connection's write transaction (ms). */
  busyTimeoutMs: number;
  /** The file's write turns, shared with the end-of-call worker (src/common/log-pressure.ts). */
  turns?: SharedArrayBuffer;
  /** The write-ahead log is started over once past this size (src/common/wal-restarter.ts). */
  walRestartBytes: number;
}

/** main → writer: a batch to commit. */
export interface WriteRequest {
  id: number;
  batch: LogRow[];
}

/** writer → main: a batch's results, in the batch's order, and how long its commit took on this thread; or how a restart of the write-ahead log went. */
export type WriterMessage = { id: number; results: RowResult[]; commitMs: number } | { walRestart: WalRestart };

/**
 * The decision log's writer thread: its own connection to the log's SQLite file; batches are
 * committed in the order they arrive, each answered once its transaction is durable.
 */
function run(settings: LogWriterSettings): void {
  const db = new Database(settings.file, { fileMustExist: true, timeout: settings.busyTimeoutMs });
  prepareWritingConnection(db, settings.synchronous);
  const writer = new SqliteLogWriter(db);
  const restarter = new WalRestarter(db, settings.walRestartBytes);
  const turns = settings.turns ? new Int32Array(settings.turns) : null;
  const post = (m: WriterMessage) => parentPort!.postMessage(m);
  // In the log's turn, so no end-of-call transaction is open.
  const restart = () => withLogTurn(turns, () => restarter.restart());
  // Once the copying thread has copied the log (commits going on meanwhile), the restart is left only the rest.
  const copier = new WalCopier(settings.file, settings.synchronous, (copy) => post({ walRestart: { ...restart(), copyMs: copy.ms, copyError: copy.error } }));
  parentPort!.on('message', (message: WriteRequest | 'stop') => {
    if (message === 'stop') {
      void copier.close();
      db.close();
      process.exit(0);
    }
    const started = performance.now();
    const results = withLogTurn(turns, () => writer.write(message.batch));
    post({ id: message.id, results, commitMs: performance.now() - started });
    // After the batch's callers are answered.
    if (restarter.due() && !copier.copy()) post({ walRestart: restart() });
  });
}

run(workerData as LogWriterSettings);
