import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallEngine } from '../calls';
import { CoalescingQueue } from '../common/coalescing-queue';
import { sqlPort } from '../common/sql-port';
import { EndedCallTimelines } from '../qa/ended-call-timelines';
import { type CallFacts, dimensionsOf, extractFacts } from './call-facts';
import { MetricsWriter } from './metrics-writer';

/**
 * Turns each ended call into metric facts and rollups: the call is re-executed from its log into a
 * timeline (the one QA checks, EndedCallTimelines) as soon as it ends — calls that end together are
 * written in one transaction — and at boot every ended call without facts is backfilled.
 */
@Injectable()
export class CallFactsRecorder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallFactsRecorder.name);
  private writer?: MetricsWriter;
  /** Calls being recorded, so a call's onEnded and the backfill never record it twice at once. */
  private readonly busy = new Set<string>();
  private readonly ended = new CoalescingQueue<string>(
    (ids) => this.recordMany(ids).then(() => undefined),
    (e, ids) => this.logger.error(`Metrics of ${ids.length} call(s) failed: ${e.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly timelines: EndedCallTimelines,
    private readonly engine: CallEngine,
  ) {}

  onApplicationBootstrap(): void {
    this.engine.onEnded((callId) => this.ended.push(callId));
    setImmediate(() => void this.backfill().catch((e) => this.logger.error(`Metrics backfill failed: ${(e as Error).message}`)));
  }

  private get out(): MetricsWriter {
    return (this.writer ??= new MetricsWriter(sqlPort(this.dataSource)));
  }

  /** True when facts were written now. A call that cannot be re-executed is logged and skipped. */
  async record(callId: string): Promise<boolean> {
    return (await this.recordMany([callId])) === 1;
  }

  /** Facts of the ended calls among `callIds`, written in one transaction; returns how many were written. */
  private async recordMany(callIds: string[]): Promise<number> {
    const ids: string[] = [];
    for (const id of callIds) {
      if (this.busy.has(id)) continue;
      this.busy.add(id);
      if (await this.out.has(id)) this.busy.delete(id);
      else ids.push(id);
    }
    try {
      const facts: CallFacts[] = [];
      for (const callId of ids) {
        try {
          const f = await this.factsOf(callId);
          if (f) facts.push(f);
        } catch (e) {
          this.logger.error(`Metrics of call ${callId} failed: ${(e as Error).message}`);
        }
      }
      return facts.length ? await this.out.writeMany(facts) : 0;
    } finally {
      ids.forEach((id) => this.busy.delete(id));
    }
  }

  private async factsOf(callId: string): Promise<CallFacts | null> {
    const ended = await this.timelines.get(callId);
    if (!ended) return null;
    const started = ended.events[0];
    if (!started || started.type !== 'call.started') return null;
    const timeline = ended.timeline();
    if (timeline.divergence) this.logger.warn(`Call ${callId} does not replay past seq ${timeline.divergence.seq}; metrics use the replayable part`);
    return extractFacts(dimensionsOf(ended.call.id, ended.call.agentId, ended.call.startedAt, started.payload), timeline);
  }

  /** Ended calls without facts, oldest first, in slices so the event loop stays free. */
  async backfill(slice = 200): Promise<number> {
    let done = 0;
    let after = '';
    for (;;) {
      const missing = await sqlPort(this.dataSource).all<{ id: string; startedAt: string }>(
        `SELECT c.id AS id, c.started_at AS "startedAt" FROM calls c WHERE c.status != 'active' AND c.started_at >= ?
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
