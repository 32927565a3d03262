import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { WalCheckpointer } from './wal-checkpointer';

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
          prepareDatabase: (db: { pragma(s: string): unknown }) => {
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
