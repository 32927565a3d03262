import type { Database } from 'better-sqlite3';

/**
 * The page cache each writing connection to the hotline's SQLite file keeps, in KiB. better-sqlite3
 * builds SQLite with a 16 MB default per connection; the main connection and the log's writer thread
 * each filled theirs as calls started (10,000 idle calls: ~0.9 KiB of RSS per call each, malloc the
 * V8 heap does not show), holding pages the OS page cache holds anyway. With 2 MB a page past the
 * cache is a read from the OS cache; the decision path measured no slower (docs/PERFORMANCE.md,
 * twenty-fifth session). The read thread keeps the default: its wide reports are what a cache is for.
 */
export const WRITING_CONNECTION_CACHE_KIB = 2048;

/**
 * What the main connection and the log's writer thread set on open: durability as configured,
 * checkpoints left to the WAL checkpointer (src/database/wal-checkpointer.ts, never inside a
 * commit), foreign keys enforced, and the bounded page cache above.
 */
export function prepareWritingConnection(db: Database, synchronous: string): void {
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${WRITING_CONNECTION_CACHE_KIB}`);
}
