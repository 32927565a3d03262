import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** A copy still under way after this long is not waited for: the writer restarts the log itself. */
const DEFAULT_OVERDUE_MS = 5_000;

/** How one copy went, as the copying thread reports it. */
export interface WalCopy {
  /** How long the copy took on its thread; the log's commits went on meanwhile. */
  ms: number;
  /** Frames in the log when the copy began, and how many of them are now in the database file. */
  frames: number;
  copied: number;
  /** The checkpoint failed (e.g. SQLITE_FULL); the restart copies everything itself then. */
  error?: string;
}

/**
 * The copying thread: its own connection runs one PASSIVE checkpoint per request. PASSIVE takes
 * neither the write lock nor waits for readers, so the log's writer keeps committing meanwhile.
 */
const COPIER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', () => {
  const t0 = performance.now();
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ms: performance.now() - t0, frames: r.log, copied: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ms: performance.now() - t0, frames: 0, copied: 0, error: String((e && e.code) || (e && e.message) || e) });
  }
});
`;

/**
 * Copies the write-ahead log back into the database file on a thread of its own, just before the
 * log's writer starts the log over (src/common/wal-restarter.ts). The restart holds every commit while it
 * copies what is left and syncs the file; measured under the open-loop bench, copying ~4,500 frames
 * there held the commits for 14–24 ms, 4–5 times a second. With this copy done first, on another
 * core and without the write lock, the restart is left only what was committed during the copy
 * (docs/PERFORMANCE.md, "the write-ahead log copied before its restart").
 *
 * Nothing is at risk: PASSIVE copies committed frames only, and the restart still copies and syncs
 * whatever is left before the log is reused. Should this thread be gone, or a copy take longer than
 * `overdueMs` (a thread stuck in a sync, say), the writer restarts the log as before, copying
 * everything itself: the log never grows unbounded waiting on this thread. (A restart that meets a
 * copy still under way waits for it at most its busy timeout, then says `busy` and is tried again.)
 */
export class WalCopier {
  private readonly worker: Worker;
  /** performance.now() when the copy under way began, or null. */
  private copyingSince: number | null = null;
  private gone = false;

  constructor(
    file: string,
    synchronous: string,
    onCopied: (copy: WalCopy) => void,
    private readonly overdueMs = DEFAULT_OVERDUE_MS,
  ) {
    this.worker = new Worker(COPIER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file, synchronous },
    });
    this.worker.on('message', (copy: WalCopy) => {
      this.copyingSince = null;
      onCopied(copy);
    });
    const lost = () => {
      this.gone = true;
      // A copy under way is never answered: the writer's next look restarts the log directly.
      this.copyingSince = null;
    };
    this.worker.on('error', lost);
    this.worker.on('exit', lost);
    this.worker.unref();
  }

  /**
   * Starts a copy unless one is under way (`onCopied` follows once it is done). False when the
   * copying thread is gone or its copy is overdue: the caller restarts the log itself.
   */
  copy(): boolean {
    if (this.gone) return false;
    if (this.copyingSince === null) {
      this.copyingSince = performance.now();
      this.worker.postMessage('copy');
      return true;
    }
    return performance.now() - this.copyingSince < this.overdueMs;
  }

  async close(): Promise<void> {
    this.gone = true;
    await this.worker.terminate();
  }
}
