import type { Database } from 'better-sqlite3';
import * as fs from 'node:fs';
import type { DataSourceOptions } from 'typeorm';
import { installPgTypeParsers } from '../common/sql-dialect';
import { prepareWritingConnection } from '../common/sqlite-connection';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM opens its transactions with a deferred BEGIN. With a second writer on the file (the
 * end-of-call worker's connection), a deferred transaction that reads before it writes is refused
 * the write lock at once (SQLITE_BUSY, no busy wait) whenever the other is writing; BEGIN IMMEDIATE
 * takes the lock first and waits for it like any write.
 */
function immediateTransactions(db: Database): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => prepare(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql)) as Database['prepare'];
}

/**
 * The TypeORM options for the configured store: SQLite in DATA_DIR (default), or PostgreSQL at
 * DATABASE_URL. One set of entities and one set of migrations for both; never `synchronize`.
 */
export function databaseOptions(config: AppConfig): DataSourceOptions & { autoLoadEntities: true } {
  const common = { autoLoadEntities: true as const, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false };
  if (config.usesPostgres) {
    installPgTypeParsers();
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      // Durable before the reply: a commit returns only once its WAL record is flushed (and, with
      // synchronous standbys configured, replicated). Set here whatever the server's default is.
      // A node frozen mid-transaction (paused, cut off) must not hold the row locks a takeover waits
      // for: its session is ended once idle in a transaction for as long as a lease lasts.
      extra: {
        max: config.PG_POOL_SIZE,
        options: `-c synchronous_commit=on -c idle_in_transaction_session_timeout=${config.CLUSTER_LEASE_MS}`,
      },
    };
  }
  fs.mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  // Owner-only: new files are created so by the process umask (main.ts); ones left 0644 by older
  // versions are tightened here, before SQLite opens them.
  for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(config.databaseFile + suffix)) fs.chmodSync(config.databaseFile + suffix, 0o600);
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.databaseFile,
    enableWAL: true,
    timeout: 3000,
    // Checkpoints run on our own timer (WalCheckpointer), never inside a decision's commit.
    prepareDatabase: (db: Database) => {
      immediateTransactions(db);
      prepareWritingConnection(db, config.SQLITE_SYNCHRONOUS);
    },
  };
}
