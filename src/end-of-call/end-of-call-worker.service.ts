import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CallEngine } from '../calls';
import { DataSource } from 'typeorm';
import { storedSecret } from '../common/stored-secret';
import { NUMBER_KEY_PLACE } from '../metrics/number-pseudonym';
import { logPressure, releaseEndOfCallTurn } from '../common/log-pressure';
import { AppConfig } from '../config/app-config';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallQa } from '../qa/call-qa.service';
import type { EndOfCallReport, EndOfCallWorkerData } from './end-of-call.worker';
import { LegacyTraces } from './legacy-traces';
import { WakeSignal } from './wake-signal';
import { WorkItems } from '../work-items';

/** How often an idle worker looks at the outbox anyway (a wake-up lost, rows traced at boot). */
const POLL_MS = 1_000;
const RESTART_MS = 1_000;

/**
 * Runs the end-of-call work off the main thread: starts the worker thread (end-of-call.worker.ts,
 * its own database connection) at boot, tells it when a call has ended (the call's outbox row is
 * already committed with its last event), restarts it should it die, and stops it at shutdown.
 * The main thread only inserts outbox rows — and, once after an upgrade, traces from the log the
 * calls that ended before the outbox existed (LegacyTraces).
 */
@Injectable()
export class EndOfCallWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EndOfCallWorker.name);
  private worker?: Worker;
  private stopping = false;
  /** Calls ended, told to the worker through shared memory; a message only when it sleeps (wake-signal.ts). */
  private readonly signal = new WakeSignal();
  /** The key of the callers' pseudonyms in the metrics tables (src/metrics/number-pseudonym.ts). */
  private numberKey = '';

  constructor(
    private readonly config: AppConfig,
    private readonly qa: CallQa,
    private readonly engine: CallEngine,
    private readonly legacy: LegacyTraces,
    private readonly dataSource: DataSource,
    private readonly workItems: WorkItems,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.numberKey = await storedSecret(NUMBER_KEY_PLACE, this.config, this.dataSource);
    this.start();
    this.engine.onEnded(() => this.wake());
    setImmediate(
      () =>
        void this.legacy
          .traceAll(() => this.wake())
          .catch((e) => this.logger.error(`tracing calls that ended before the outbox failed: ${(e as Error).message}`)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000).unref())]);
    this.worker = undefined;
  }

  /** A message only if the worker sleeps: busy, it sees the shared counter move and looks again by itself. */
  private wake(): void {
    if (this.worker && this.signal.callsEnded()) this.worker.postMessage('wake');
  }

  private start(): void {
    const file = path.join(__dirname, 'end-of-call.worker.js');
    if (!fs.existsSync(file)) {
      this.logger.error(`no end-of-call worker at ${file} (run the built server): ended calls stay in the outbox`);
      return;
    }
    const workerData: EndOfCallWorkerData = {
      store: this.config.usesPostgres ? { postgres: this.config.DATABASE_URL } : { sqlite: this.config.databaseFile },
      checks: this.qa.checks,
      serviceLevels: this.workItems.serviceLevels,
      numberKey: this.numberKey,
      batch: this.config.END_OF_CALL_BATCH,
      pauseMs: this.config.END_OF_CALL_PAUSE_MS,
      cpuShare: this.config.END_OF_CALL_CPU_SHARE,
      pollMs: POLL_MS,
      logPressure: logPressure.buffer as SharedArrayBuffer,
      walRestartBytes: this.config.WAL_RESTART_MIB * 1024 * 1024,
      wakeSignal: this.signal.buffer,
    };
    this.signal.reset();
    const worker = new Worker(file, { workerData });
    worker.on('message', (report: EndOfCallReport) => {
      // The backlog itself is in /api/health (endOfCall); the log says why it grows.
      if (report.kind === 'failed') {
        this.logger.warn(`end-of-call work failed (${report.message}); the calls stay in the outbox, retry in ${report.retryInMs} ms`);
      } else if (report.kind === 'walRestart') {
        const { restart } = report;
        this.metrics?.endOfCallWalRestarted(restart.ms / 1000, restart.error ? 'failed' : restart.restarted ? 'restarted' : 'busy');
        const what = `write-ahead log (${(restart.walBytes / 1048576).toFixed(1)} MiB)`;
        if (restart.error) this.logger.warn(`end-of-call worker could not start the ${what} over: ${restart.error}; tried again after its next batch`);
        else
          this.logger.debug(
            `end-of-call worker: ${what} ${restart.restarted ? 'started over' : 'still read; tried again later'} (${restart.ms.toFixed(1)} ms)`,
          );
      }
    });
    worker.on('error', (e) => this.logger.error(`end-of-call worker failed: ${e.message}`));
    worker.on('exit', (code) => {
      // Killed mid-transaction, it may have held the write turn: the log must not wait for it.
      releaseEndOfCallTurn();
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.stopping) return;
      this.logger.error(`end-of-call worker exited (${code}); restarting in ${RESTART_MS} ms`);
      setTimeout(() => !this.stopping && this.start(), RESTART_MS).unref();
    });
    worker.unref();
    this.worker = worker;
  }
}
