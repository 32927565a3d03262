import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallEventEntity } from './call-event.entity';
import { CallEntity } from './call.entity';
import { DecisionLog } from './decision-log';
import { PgDecisionLog } from './pg-decision-log';
import { SqliteDecisionLog } from './sqlite-decision-log';

/** The decision log of the configured store: SQLite (default) or PostgreSQL (DATABASE_URL). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CallEntity, CallEventEntity])],
  providers: [
    {
      provide: DecisionLog,
      inject: [AppConfig, DataSource, { token: PrometheusMetrics, optional: true }],
      useFactory: (config: AppConfig, dataSource: DataSource, metrics?: PrometheusMetrics) =>
        config.usesPostgres
          ? new PgDecisionLog(dataSource, metrics)
          : new SqliteDecisionLog(dataSource, metrics, {
              commitIntervalMs: config.LOG_COMMIT_INTERVAL_MS,
              walRestartBytes: config.WAL_RESTART_MIB * 1024 * 1024,
            }),
    },
  ],
  exports: [DecisionLog],
})
export class DecisionLogModule {}
