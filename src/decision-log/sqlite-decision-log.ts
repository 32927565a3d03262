import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqliteHandle } from '../common/sqlite-handle';
import { logPressure, setLogPressure } from '../common/log-pressure';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallLog, CallLogChunk, CallRecord, DecisionLog, LoggedEvent, StoredEvent } from './decision-log';
import { erasedAt, readActiveCallLogs, readCall, readCallLogs, readEvents } from './log-rows';
import { InThreadLogSink, type LogSink, WorkerLogSink, workerLogSinkAvailable } from './log-sinks';
import type { WalRestart } from '../common/wal-restarter';
import { recoveryReadOf } from './recovery-prefetch';
import { recoveryReaderAvailable } from './recovery-reader';
import type { RowResult } from './sqlite-log-writer';
import { logRow, STORAGE_FAILURE } from './sqlite-log-writer';

interface PendingAppend {
  event: LoggedEvent;
  call: CallRecord;
  /** JSON of the ended call's trace: its outbox row goes into the same transaction. */
  outbox?: string;
  resolve: () => void;
  reject: (error: Error) => void;
  /** performance.now() when queued: the append latency metric. */
  queuedAt: number;
}

const MAX_BATCH = 256;
/**
 * Batches posted to the writer thread and not yet answered. Two: while the thread commits one, the
 * next waits at its door, so it never idles through the main thread's round trip (settling the last
 * batch — views rendered and sent — and posting the next). The thread commits them in order, and a
 * call never has two appends pending (its inputs are serialized), so order per call is unchanged.
 */
const MAX_IN_FLIGHT = 2;

/** How the decision log paces its commits. */
export interface LogCommitOptions {
  /**
   * A commit starts at most once per this many ms (0: as soon as the last one is answered). A commit
   * costs the writer ~0.15 ms of CPU however few rows it holds, each row ~0.01 ms more
   * (bench/log-writer.mjs): under load, appends that arrive within the interval share one commit,
   * so the log's CPU per event falls several-fold for at most this much more latency. An append
   * to a log that has not committed for the interval goes at once: an idle hotline waits for nothing.
   */
  commitIntervalMs: number;
  /** The write-ahead log is started over once past this many bytes (wal-restarter.ts; default 16 MiB). */
  walRestartBytes?: number;
}

const DEFAULT_WAL_RESTART_BYTES = 16 * 1024 * 1024;
/** A group commit this slow is logged with its time (a few milliseconds is usual on a local disk; PERFORMANCE.md, twenty-second session). */
const SLOW_COMMIT_MS = 200;

/** The typed refusal for a write the storage could not take (LOG_UNAVAILABLE, 503), or null for any other error. */
export function logUnavailable(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STORAGE_FAILURE.test(code)) return null;
  const why = code.startsWith('SQLITE_FULL') ? 'the disk is full' : code.startsWith('SQLITE_READONLY') ? 'the storage is read-only' : 'the storage failed';
  return new AppError(
    'LOG_UNAVAILABLE',
    `The decision log cannot be written (${why}): nothing was recorded and the call has not moved on. Try again shortly.`,
    { reason: code },
  );
}

/**
 * Group commit on SQLite: appends that arrive while a commit is under way are committed together in
 * the next transaction (one fsync), then each caller is released. An idle log commits at once.
 * The commit itself — statements, hash chain, fsync — runs on a writer thread with its own
 * connection (src/decision-log/sqlite-log-writer.worker.ts), so the main thread never waits on the
 * disk; where no built writer exists (unit tests run the TypeScript) it runs in-process.
 *
 * When the storage refuses writes (disk full, read-only), the whole batch is rejected with
 * LOG_UNAVAILABLE: SQLite rolled the transaction back, so no event of it exists, no head moved, and
 * no caller moves its call on. The next append simply tries again — the log recovers by itself
 * once space returns. One bad row fails alone (SqliteLogWriter.write).
 */
@Injectable()
export class SqliteDecisionLog extends DecisionLog implements OnApplicationShutdown {
  private readonly logger = new Logger(SqliteDecisionLog.name);
  private pending: PendingAppend[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** performance.now() when the last batch was sent to the writer. */
  private lastSentAt = -Infinity;
  private sink?: LogSink;
  batchesCommitted = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: PrometheusMetrics,
    private readonly options: LogCommitOptions = { commitIntervalMs: 0 },
  ) {
    super();
  }

  append(event: LoggedEvent, call: CallRecord, endOfCall?: unknown): Promise<void> {
    const outbox = endOfCall === undefined ? undefined : JSON.stringify(endOfCall);
    return new Promise((resolve, reject) => {
      this.pending.push({ event, call, outbox, resolve, reject, queuedAt: performance.now() });
      setLogPressure(this.inFlight + this.pending.length);
      this.schedule();
    });
  }

  async findCall(callId: string): Promise<CallRecord | null> {
    return readCall(this.dataSource, callId);
  }

  async events(callId: string): Promise<StoredEvent[]> {
    return readEvents(this.dataSource, callId);
  }

  async activeCallLogs(): Promise<CallLog[]> {
    return readActiveCallLogs(this.dataSource);
  }

  /** Read on a thread of its own (recovery-reader.ts) where the built worker exists and the file is one another connection can open. */
  override async *activeCallLogChunks(): AsyncGenerator<CallLogChunk> {
    const db = sqliteHandle(this.dataSource);
    if (!recoveryReaderAvailable() || db.memory) return yield* super.activeCallLogChunks();
    const { read, chunks } = await recoveryReadOf(db.name, (sql) => this.dataSource.query(sql));
    if (read === 'again') this.logger.warn('the live calls changed between the process start and recovery: their logs are read again');
    else this.logger.log(`recovery reads the live calls' logs ${read === 'now' ? 'now' : 'read since the process started'}`);
    yield* chunks;
  }

  async callLogs(callIds: readonly string[]): Promise<CallLog[]> {
    return readCallLogs(this.dataSource, callIds);
  }

  async erasedAt(callId: string): Promise<string | null> {
    return erasedAt(this.dataSource, callId);
  }

  /** Lets the commits under way finish (bounded), then stops the writer thread. */
  async onApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + 5_000;
    while ((this.inFlight > 0 || this.pending.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await this.sink?.close();
  }

  /** The next batch goes out after this tick's appends have joined it, and no sooner than the commit interval allows. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || !this.pending.length) return;
    this.scheduled = true;
    const wait = this.lastSentAt + this.options.commitIntervalMs - performance.now();
    if (wait < 1) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), wait);
  }

  /** Sends what is pending at once when the commit interval allows (no tick's wait: these appends waited a commit already). */
  private sendWaitingNow(): void {
    if (this.scheduled || !this.pending.length || this.inFlight >= MAX_IN_FLIGHT) return;
    if (this.lastSentAt + this.options.commitIntervalMs - performance.now() < 1) this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.inFlight >= MAX_IN_FLIGHT || !this.pending.length) return;
    const sink = (this.sink ??= this.openSink());
    const batch = this.pending.splice(0, MAX_BATCH);
    this.inFlight++;
    this.lastSentAt = performance.now();
    sink.write(batch.map(({ event, call, outbox }) => logRow(event, call, outbox))).then(
      ({ results, commitMs }) => this.settle(batch, results, commitMs),
      (e: Error) =>
        this.settle(
          batch,
          batch.map(() => ({ ok: false, code: (e as { code?: string }).code, message: e.message })),
        ),
    );
  }

  private settle(batch: PendingAppend[], results: RowResult[], commitMs?: number): void {
    this.inFlight--;
    // The writer gets its next batch before this one's callers run on: their continuations (views
    // rendered and sent for up to MAX_BATCH calls) take the main thread for a while, and the writer
    // would idle through it with appends already waiting.
    this.sendWaitingNow();
    setLogPressure(this.inFlight + this.pending.length);
    this.batchesCommitted++;
    const now = performance.now();
    let committed = 0;
    results.forEach((result, i) => {
      const p = batch[i];
      if (result.ok) {
        committed++;
        this.metrics?.logAppended((now - p.queuedAt) / 1000);
        p.resolve();
        return;
      }
      const error = Object.assign(new Error(result.message), { code: result.code });
      this.logger.error(`append refused for call ${p.event.callId} seq ${p.event.seq}: ${result.code ?? ''} ${result.message}`);
      p.reject(logUnavailable(error) ?? error);
    });
    if (committed) this.metrics?.logCommitted(committed, commitMs === undefined ? undefined : commitMs / 1000);
    // Timestamped, so a stall of the decisions (bench/open-loop.mjs's tail windows) can be matched with a slow disk.
    if (commitMs !== undefined && commitMs >= SLOW_COMMIT_MS) this.logger.warn(`a commit of the log took ${Math.round(commitMs)} ms (${batch.length} events)`);
    this.schedule();
  }

  private openSink(): LogSink {
    const db = sqliteHandle(this.dataSource);
    const walRestartBytes = this.options.walRestartBytes ?? DEFAULT_WAL_RESTART_BYTES;
    const onWalRestart = (r: WalRestart) => {
      if (r.error) this.logger.warn(`the write-ahead log could not be checkpointed (${r.error}); trying again later`);
      this.metrics?.walRestarted(r.ms / 1000, r.error ? 'failed' : r.restarted ? 'restarted' : 'busy');
      if (r.copyError) this.logger.warn(`the copying thread could not copy the write-ahead log (${r.copyError}); the restart copied it itself`);
      if (r.copyMs !== undefined) this.metrics?.walCopied(r.copyMs / 1000, r.copyError ? 'failed' : 'copied');
    };
    if (!workerLogSinkAvailable()) return new InThreadLogSink(db, walRestartBytes, onWalRestart);
    const synchronous = String(db.pragma('synchronous', { simple: true }));
    return new WorkerLogSink(
      { file: db.name, synchronous, busyTimeoutMs: 30_000, turns: logPressure.buffer as SharedArrayBuffer, walRestartBytes },
      (why) => {
        this.logger.error(`the log's writer thread stopped (${why}); committing on the main thread from now on`);
        this.sink = new InThreadLogSink(db, walRestartBytes, onWalRestart);
      },
      onWalRestart,
    );
  }
}
