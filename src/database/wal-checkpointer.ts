import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sqliteHandle } from '../common/sqlite-handle';

/**
 * The checkpointing thread: its own connection to the database file runs a PASSIVE checkpoint on
 * every interval. PASSIVE never waits for the writer and never blocks it, and on this thread its
 * page copying and fsync stay off the main thread, where the decisions are answered. PASSIVE alone
 * never lets the log start over while commits never pause: the decision log's writer restarts it
 * past WAL_RESTART_MIB (src/common/wal-restarter.ts), with less left to copy thanks to this.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = ' + workerData.synchronous);
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e && e.message)); }
}, workerData.intervalMs);
parentPort.on('message', () => { db.close(); process.exit(0); });
`;

/**
 * SQLite's automatic WAL checkpoint runs inside whichever commit crosses the threshold and sets
 * the latency tail (shared/MACHINE-NOTES.md); it is disabled and done here instead, on a worker
 * thread so that no checkpoint ever runs on the request path. At shutdown the main connection
 * truncates the WAL.
 */
@Injectable()
export class WalCheckpointer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // PostgreSQL checkpoints by itself (its checkpointer process): nothing to do here.
    if (this.config.usesPostgres) return;
    try {
      this.worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: require.resolve('better-sqlite3'),
          file: this.config.databaseFile,
          synchronous: this.config.SQLITE_SYNCHRONOUS,
          intervalMs: this.config.WAL_CHECKPOINT_INTERVAL_MS,
        },
      });
      this.worker.on('message', (m: string) => this.logger.warn(`WAL checkpoint failed: ${m}`));
      this.worker.on('error', (e) => {
        this.logger.warn(`WAL checkpoint thread stopped (${e.message}); checkpointing on the main thread`);
        this.worker = undefined;
        this.onMainThread();
      });
      this.worker.unref();
    } catch (e) {
      this.logger.warn(`no WAL checkpoint thread (${(e as Error).message}); checkpointing on the main thread`);
      this.onMainThread();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.worker) {
      const exited = new Promise((r) => this.worker!.once('exit', r));
      this.worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000).unref())]);
      this.worker = undefined;
    }
    if (this.dataSource.isInitialized && !this.config.usesPostgres) this.checkpoint('TRUNCATE');
  }

  private onMainThread(): void {
    this.timer = setInterval(() => this.checkpoint('PASSIVE'), this.config.WAL_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  private checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    try {
      sqliteHandle(this.dataSource).pragma(`wal_checkpoint(${mode})`);
    } catch (e) {
      this.logger.warn(`WAL checkpoint failed: ${(e as Error).message}`);
    }
  }
}
