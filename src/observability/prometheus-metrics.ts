import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observeGcDurations } from './gc-durations';

/** Where the gauges read their value at scrape time (nothing is counted per call or per connection). */
export interface GaugeSources {
  callsActive?: () => number;
  wsConnections?: () => number;
}

const DECISION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const BACKEND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Default Node.js gauges whose names end in `_total` (a counter's suffix). */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * The server's own Prometheus metrics (`GET /metrics`, docs/OPERATIONS.md). One registry per
 * application instance; hot paths call the small methods below, which only touch pre-bound
 * prom-client children (no label objects are built per decision or per append).
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private sources: GaugeSources = {};

  readonly callsActive: Gauge = new Gauge({
    name: 'laihua_calls_active',
    help: 'Calls in progress (live in the engine)',
    registers: [this.registry],
    collect: (): void => this.callsActive.set(this.sources.callsActive?.() ?? 0),
  });
  readonly wsConnections: Gauge = new Gauge({
    name: 'laihua_ws_connections',
    help: 'Open WebSocket connections (any role)',
    registers: [this.registry],
    collect: (): void => this.wsConnections.set(this.sources.wsConnections?.() ?? 0),
  });
  readonly decisions = new Counter({
    name: 'laihua_decisions_total',
    help: 'call.decide messages handled by the engine, by outcome (ok: a view was sent; refused: a call.error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly decisionLatency = new Histogram({
    name: 'laihua_decision_latency_seconds',
    help: 'call.decide received → call.view reply sent (logged decisions only)',
    buckets: DECISION_BUCKETS,
    registers: [this.registry],
  });
  readonly logAppend = new Histogram({
    name: 'laihua_log_append_seconds',
    help: 'Decision-log append: queued → committed (group commit), per event',
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly logCommit = new Histogram({
    name: 'laihua_log_commit_seconds',
    help: "SQLite: one group commit of the decision log on the writer's connection (the log's turn, the statements, COMMIT and its fsync), per transaction; laihua_log_append_seconds adds the queue before it and the handover after",
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly logBatchSize = new Histogram({
    name: 'laihua_log_batch_size',
    help: 'Events per group-commit transaction',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  readonly endOfCallWalRestart = new Histogram({
    name: 'laihua_end_of_call_wal_restart_seconds',
    help: 'SQLite: the write-ahead log started over by the end-of-call worker, while the decision log was quiet and the worker was the one writing (outcome as for laihua_log_wal_restart_seconds)',
    labelNames: ['outcome'],
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly walRestart = new Histogram({
    name: 'laihua_log_wal_restart_seconds',
    help: "SQLite: the decision log's write-ahead log checkpointed and started over (outcome restarted; busy: a reader kept it; failed: e.g. disk full — both tried again later); the log's commits wait meanwhile",
    labelNames: ['outcome'],
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly walCopy = new Histogram({
    name: 'laihua_log_wal_copy_seconds',
    help: "SQLite: the decision log's write-ahead log copied back into the database by a copying thread before a restart, the commits going on meanwhile (outcome copied; failed: the restart copies it all itself)",
    labelNames: ['outcome'],
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly backendCall = new Histogram({
    name: 'laihua_backend_call_seconds',
    help: 'Back-end operation round trip (answered calls, ok or error), by operation',
    labelNames: ['operation'] as const,
    buckets: BACKEND_BUCKETS,
    registers: [this.registry],
  });
  readonly backendErrors = new Counter({
    name: 'laihua_backend_errors_total',
    help: 'Back-end operations that failed, by operation and error code (TIMEOUT: the step timed out first)',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly endedCallCache = new Counter({
    name: 'laihua_ended_call_cache_total',
    help: "An ended call opened again, by what was built (rebuild: its live call for re-attaching; replay: QA's replay) and whether it was kept from before (hit) or built now (miss: read from the log and re-executed)",
    labelNames: ['cache', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly decisionsOk = this.decisions.labels('ok');
  private readonly endedCallOpenings = {
    rebuild: { hit: this.endedCallCache.labels('rebuild', 'hit'), miss: this.endedCallCache.labels('rebuild', 'miss') },
    replay: { hit: this.endedCallCache.labels('replay', 'hit'), miss: this.endedCallCache.labels('replay', 'miss') },
  };
  private readonly decisionsRefused = this.decisions.labels('refused');
  private readonly backendByOperation = new Map<string, ReturnType<Histogram<'operation'>['labels']>>();

  /** `node`: this process's NODE_ID, a label on every series, so that one Prometheus tells the nodes of a hotline apart. */
  constructor(opts: { defaultMetrics?: boolean; node?: string } = {}) {
    if (opts.node) this.registry.setDefaultLabels({ node: opts.node });
    // Both outcomes exist from the start, so a rate() over a fresh server is 0, not absent.
    this.decisionsOk.inc(0);
    this.decisionsRefused.inc(0);
    for (const outcomes of Object.values(this.endedCallOpenings)) for (const child of Object.values(outcomes)) child.inc(0);
    if (opts.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // prom-client names three gauges `…_total`, which Prometheus reserves for counters (promtool
      // check metrics refuses them); the same counts stay, by type, in nodejs_active_handles/requests/resources.
      for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(name);
      // prom-client's counts only the first collection of each batch V8 reports (gc-durations.ts).
      observeGcDurations(this.registry);
    }
  }

  /** Tells the gauges where to read their values (called once by the services that own them). */
  bind(sources: GaugeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** `startedMs` from performance.now() when the decide frame was received. */
  decision(ok: boolean, startedMs: number): void {
    if (ok) {
      this.decisionsOk.inc();
      this.decisionLatency.observe((performance.now() - startedMs) / 1000);
    } else this.decisionsRefused.inc();
  }

  /** `commitSeconds`: the transaction where it ran (SQLite: its turn, the statements, COMMIT and fsync). */
  logCommitted(batchSize: number, commitSeconds?: number): void {
    this.logBatchSize.observe(batchSize);
    if (commitSeconds !== undefined) this.logCommit.observe(commitSeconds);
  }

  walRestarted(seconds: number, outcome: 'restarted' | 'busy' | 'failed'): void {
    this.walRestart.labels(outcome).observe(seconds);
  }

  endOfCallWalRestarted(seconds: number, outcome: 'restarted' | 'busy' | 'failed'): void {
    this.endOfCallWalRestart.labels(outcome).observe(seconds);
  }

  walCopied(seconds: number, outcome: 'copied' | 'failed'): void {
    this.walCopy.labels(outcome).observe(seconds);
  }

  /** An ended call opened again: `kept` when its rebuild or replay came from the cache, not from the log. */
  endedCallOpened(cache: 'rebuild' | 'replay', kept: boolean): void {
    this.endedCallOpenings[cache][kept ? 'hit' : 'miss'].inc();
  }

  logAppended(seconds: number): void {
    this.logAppend.observe(seconds);
  }

  backendReply(operation: string, seconds: number, errorCode?: string): void {
    let child = this.backendByOperation.get(operation);
    if (!child) this.backendByOperation.set(operation, (child = this.backendCall.labels(operation)));
    child.observe(seconds);
    if (errorCode !== undefined) this.backendErrors.inc({ operation, code: errorCode });
  }

  backendTimeout(operation: string): void {
    this.backendErrors.inc({ operation, code: 'TIMEOUT' });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
