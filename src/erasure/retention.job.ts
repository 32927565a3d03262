import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Erasures } from './erasure.service';

/**
 * Runs the retention sweep (Erasures.sweep) every RETENTION_SWEEP_MS, off the agents' path: a timer
 * on the main thread whose runs are a few short bounded transactions, one at a time (a run never
 * overlaps the previous one). Also drops the traces processed outbox rows still hold (left by an
 * older version, which kept them), so it runs even with retention off (RETENTION_DAYS = 0).
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly erasures: Erasures,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.run(), this.config.RETENTION_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private run(): void {
    if (this.running) return;
    this.running = this.erasures
      .sweep()
      .catch((e) => this.logger.error(`retention sweep failed (next run in ${this.config.RETENTION_SWEEP_MS} ms): ${(e as Error).message}`))
      .finally(() => (this.running = undefined));
  }
}
