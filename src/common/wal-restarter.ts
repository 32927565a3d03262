import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * How one restart went: `restarted` false when a reader still held the log, or when the checkpoint
 * failed (`error`: e.g. SQLITE_FULL — the database file could not grow); either way it is tried again
 * a few commits later, and the log's commits go on as before.
 */
export interface WalRestart {
  ms: number;
  restarted: boolean;
  error?: string;
  /** Frames in the log when it was restarted (4 KiB pages each, by default). */
  frames: number;
  walBytes: number;
  /** The copy on the copying thread just before (wal-copier.ts), which did not hold the commits; its error, if it failed. */
  copyMs?: number;
  copyError?: string;
}

/** How many commits pass between two looks at the log's size (a stat is cheap, not free). */
const CHECK_EVERY_COMMITS = 16;
/** How long a restart waits for readers still on the log before it gives up until the next look. */
const READERS_WAIT_MS = 50;

/**
 * Keeps the SQLite write-ahead log bounded under a load that never pauses. The checkpointer
 * thread's PASSIVE checkpoints copy pages back to the database, but SQLite only starts the log
 * over when a checkpoint has copied *every* frame at the moment a write begins — which, with
 * commits every few milliseconds, never happens: the log grew by ~30 MB/s at 2,000 calls and every
 * page lookup of every commit got slower as it grew (docs/PERFORMANCE.md). So the log's writer —
 * the one connection that writes calls — restarts it itself between two commits once it is past
 * `limitBytes`: `wal_checkpoint(RESTART)` holds the write lock while it copies what the last
 * PASSIVE checkpoint left and waits (briefly) for readers to leave the log; the next commit then
 * writes from the log's start, and `journal_size_limit` gives the file back to the disk.
 *
 * Nothing is at risk: a checkpoint copies committed pages only, and the log is reused only once
 * they are all in the database file (synced when synchronous is FULL or NORMAL).
 */
export class WalRestarter {
  private readonly walFile: string;
  /** The connection's own busy timeout, put back after a restart. */
  private readonly busyTimeoutMs: number;
  private commits = 0;

  constructor(
    private readonly db: Database,
    private readonly limitBytes: number,
    /** Commits between two looks at the log's size: the log's own are small; a heavier writer looks after each. */
    private readonly checkEvery = CHECK_EVERY_COMMITS,
  ) {
    this.walFile = `${db.name}-wal`;
    this.busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    db.pragma(`journal_size_limit = ${Math.floor(limitBytes)}`);
  }

  /** Called after each commit: true once the log has grown past the limit (looked at every few commits). */
  due(): boolean {
    if (++this.commits % this.checkEvery !== 0) return false;
    return this.walBytes() > this.limitBytes;
  }

  /** Checkpoints the whole log and starts it over (the caller holds the log's write turn). */
  restart(): WalRestart {
    const walBytes = this.walBytes();
    const t0 = performance.now();
    this.db.pragma(`busy_timeout = ${READERS_WAIT_MS}`);
    try {
      const [result] = this.db.pragma('wal_checkpoint(RESTART)') as { busy: number; log: number; checkpointed: number }[];
      return { ms: performance.now() - t0, restarted: result.busy === 0, frames: result.log, walBytes };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return { ms: performance.now() - t0, restarted: false, error: typeof code === 'string' ? code : (e as Error).message, frames: 0, walBytes };
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  private walBytes(): number {
    return statSync(this.walFile, { throwIfNoEntry: false })?.size ?? 0;
  }
}
