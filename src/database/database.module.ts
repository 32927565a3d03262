import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import { AppConfig } from '../config/app-config';
import { UserEntity } from '../auth/user.entity';
import { CallEventEntity } from '../decision-log/call-event.entity';
import { CallEntity } from '../decision-log/call.entity';
import { FlowVersionEntity } from '../flows/flow-version.entity';
import { InitialSchema1763884800000 } from './migrations/1763884800000-initial-schema';
import { BusinessesPerCall1763971200000 } from './migrations/1763971200000-businesses-per-call';
import { MarketingMatrix1764057600000 } from './migrations/1764057600000-marketing-matrix';
import { MatrixVersionEntity } from '../flows/matrix-version.entity';
import { FlowPublicationEntity } from '../flows/flow-publication.entity';
import { FlowAuditEntity } from '../authoring/flow-audit.entity';
import { FlowAuthoring1764144000000 } from './migrations/1764144000000-flow-authoring';
import { HashChain1764230400000 } from './migrations/1764230400000-hash-chain';
import { Qa1764316800000 } from './migrations/1764316800000-qa';
import { Metrics1764403200000 } from './migrations/1764403200000-metrics';
import { MetricMonthRollups1764489600000 } from './migrations/1764489600000-metric-month-rollups';
import { CallCheckResultEntity, ScorecardEntity, ScorecardRevisionEntity } from '../qa/qa.entities';
import { WalCheckpointer } from './wal-checkpointer';

export const ENTITIES = [
  UserEntity,
  CallEntity,
  CallEventEntity,
  FlowVersionEntity,
  MatrixVersionEntity,
  FlowPublicationEntity,
  FlowAuditEntity,
  CallCheckResultEntity,
  ScorecardEntity,
  ScorecardRevisionEntity,
];
export const MIGRATIONS = [
  InitialSchema1763884800000,
  BusinessesPerCall1763971200000,
  MarketingMatrix1764057600000,
  FlowAuthoring1764144000000,
  HashChain1764230400000,
  Qa1764316800000,
  Metrics1764403200000,
  MetricMonthRollups1764489600000,
];

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
          entities: ENTITIES,
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
