import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Database } from 'better-sqlite3';
import * as fs from 'node:fs';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { WalCheckpointer } from './wal-checkpointer';

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
 * The database: SQLite in DATA_DIR, migrated at boot. Each feature module registers its own
 * entities (`TypeOrmModule.forFeature`), picked up here by `autoLoadEntities`.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        fs.mkdirSync(config.DATA_DIR, { recursive: true });
        return {
          type: 'better-sqlite3' as const,
          database: config.databaseFile,
          enableWAL: true,
          timeout: 3000,
          // Checkpoints run on our own timer (WalCheckpointer), never inside a decision's commit.
          prepareDatabase: (db: Database) => {
            immediateTransactions(db);
            db.pragma(`synchronous = ${config.SQLITE_SYNCHRONOUS}`);
            db.pragma('wal_autocheckpoint = 0');
            db.pragma('foreign_keys = ON');
          },
          autoLoadEntities: true,
          migrations: MIGRATIONS,
          migrationsRun: true,
          synchronize: false,
          logging: false,
        };
      },
    }),
  ],
  providers: [WalCheckpointer],
})
export class DatabaseModule {}
