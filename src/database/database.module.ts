import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';
import { ReadThread } from './read-thread';
import { WalCheckpointer } from './wal-checkpointer';

/**
 * The database: SQLite in DATA_DIR, or PostgreSQL when DATABASE_URL is set, migrated at boot. Each
 * feature module registers its own entities (`TypeOrmModule.forFeature`), picked up here by
 * `autoLoadEntities`.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => databaseOptions(config),
    }),
  ],
  providers: [WalCheckpointer, ReadThread],
})
export class DatabaseModule {}
