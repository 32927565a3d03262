import type { Database } from 'better-sqlite3';
import { type WalRestart, WalRestarter } from '../common/wal-restarter';

/** Runs a write in the worker's write turn (src/common/log-pressure.ts). */
export type InTurn = <T>(write: () => Promise<T>) => Promise<T>;

/**
 * The end-of-call worker's share in keeping SQLite's write-ahead log bounded. The log's writer starts
 * the log over after its own commits (src/common/wal-restarter.ts) — but only while calls are being
 * decided. With the log quiet (a backlog worked off after a peak, a night after a busy evening) this
 * thread is the one writing, back to back, and SQLite never starts the log over by itself: a
 * checkpoint would have to copy every frame before the next write begins. Measured: the log grew by
 * ~85 MB/s, to 5.4 GB in 70 s, while the worker caught up on 130,000 ended calls
 * (docs/PERFORMANCE.md) — a disk filled by the work nobody waits for, and every read slower.
 *
 * So, after each batch during which the log did not commit, the worker looks at the log's size
 * (while the log commits, its writer restarts it between commits, as before); past the limit it copies the log back
 * into the database without the write lock (PASSIVE: the log's commits go on meanwhile), then starts
 * it over in its own write turn (RESTART: copies what is left, waits briefly for readers). A reader
 * still on the log only postpones it to the next batch.
 */
export function walKeeper(db: Database, limitBytes: number, inTurn: InTurn): () => Promise<WalRestart | null> {
  const restarter = new WalRestarter(db, limitBytes, 1);
  return async () => {
    if (!restarter.due()) return null;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Another thread's checkpoint under way: the restart copies whatever is left itself.
    }
    return inTurn(() => Promise.resolve(restarter.restart()));
  };
}
