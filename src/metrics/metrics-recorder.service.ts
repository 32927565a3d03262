import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallEngine } from '../calls/call-engine.service';
import { sqliteHandle } from '../database/sqlite-handle';
import { DecisionLog } from '../decision-log/decision-log';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { buildTimeline } from '../qa/timeline';
import { dimensionsOf, extractFacts } from './call-facts';
import { MetricsWriter } from './metrics-writer';

/**
 * Turns each ended call into metric facts and rollups: the call is re-executed from its log into a
 * timeline (as QA does) as soon as it ends, and at boot every ended call without facts is backfilled.
 */
@Injectable()
export class MetricsRecorder implements OnApplicationBootstrap {
  private readonly logger = new Logger(MetricsRecorder.name);
  private writer?: MetricsWriter;
  /** Calls being recorded, so a call's onEnded and the backfill never record it twice at once. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
    private readonly engine: CallEngine,
  ) {}

  onApplicationBootstrap(): void {
    this.engine.onEnded((callId) => void this.record(callId).catch((e) => this.logger.error(`Metrics of call ${callId} failed: ${(e as Error).message}`)));
    setImmediate(() => void this.backfill().catch((e) => this.logger.error(`Metrics backfill failed: ${(e as Error).message}`)));
  }

  private get out(): MetricsWriter {
    return (this.writer ??= new MetricsWriter(sqliteHandle(this.dataSource)));
  }

  /** True when facts were written now. A call that cannot be re-executed is logged and skipped. */
  async record(callId: string): Promise<boolean> {
    if (this.busy.has(callId) || this.out.has(callId)) return false;
    this.busy.add(callId);
    try {
      const call = await this.log.findCall(callId);
      if (!call || call.status === 'active') return false;
      const events = await this.log.events(callId);
      const started = events[0];
      if (!started || started.type !== 'call.started') return false;
      const timeline = buildTimeline(this.catalog, call, events, 'zh-CN', (id) => this.catalog.titleOf(id));
      if (timeline.divergence) this.logger.warn(`Call ${callId} does not replay past seq ${timeline.divergence.seq}; metrics use the replayable part`);
      return this.out.write(extractFacts(dimensionsOf(call.id, call.agentId, call.startedAt, started.payload), timeline));
    } finally {
      this.busy.delete(callId);
    }
  }

  /** Ended calls without facts, oldest first, in slices so the event loop stays free. */
  async backfill(slice = 200): Promise<number> {
    let done = 0;
    let after = '';
    for (;;) {
      const missing: { id: string; startedAt: string }[] = await this.dataSource.query(
        `SELECT c.id AS id, c.started_at AS startedAt FROM calls c WHERE c.status != 'active' AND c.started_at >= ?
         AND NOT EXISTS (SELECT 1 FROM metric_calls m WHERE m.call_id = c.id) ORDER BY c.started_at ASC LIMIT ?`,
        [after, slice],
      );
      if (!missing.length) return done;
      for (const { id, startedAt } of missing) {
        try {
          if (await this.record(id)) done++;
        } catch (e) {
          this.logger.error(`Metrics of call ${id} failed: ${(e as Error).message}`);
        }
        after = startedAt;
      }
      if (missing.length < slice) return done;
      await new Promise((r) => setImmediate(r));
    }
  }
}
