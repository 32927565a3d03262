import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sqliteHandle } from './sqlite-handle';

/**
 * SQLite's automatic WAL checkpoint runs inside whichever commit crosses the threshold and sets
 * the latency tail (shared/MACHINE-NOTES.md); it is disabled and done here on a timer instead.
 */
@Injectable()
export class WalCheckpointer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.checkpoint('PASSIVE'), this.config.WAL_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    if (this.dataSource.isInitialized) this.checkpoint('TRUNCATE');
  }

  private checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    try {
      sqliteHandle(this.dataSource).pragma(`wal_checkpoint(${mode})`);
    } catch (e) {
      this.logger.warn(`WAL checkpoint failed: ${(e as Error).message}`);
    }
  }
}
