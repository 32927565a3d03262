import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, In } from 'typeorm';
import { CallEngine } from '../calls';
import { AppConfig } from '../config/app-config';
import { CallEntity } from '../decision-log/call.entity';
import { type CallRecord, DecisionLog } from '../decision-log/decision-log';
import type { Locale } from '../flows/flow-definition';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { CoalescingQueue } from '../common/coalescing-queue';
import { EndedCallTimelines } from './ended-call-timelines';
import { type CallCheckSet, loadCallChecks, type CallCheckResult, runCallChecks } from './qa-checks';
import { CallCheckResultEntity } from './qa.entities';
import { buildTimeline, type Timeline } from './timeline';

/**
 * The automatic QA of calls: each ended call is re-executed from its log into a timeline (the views
 * as the agent saw them) and checked against the compliance checks declared in CALL_CHECKS_FILE.
 * Results are stored so calls can be searched by a failed check; they are recomputable from the log.
 */
@Injectable()
export class CallQa implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallQa.name);
  readonly checks: CallCheckSet;
  /** Calls that just ended: checked together, their results stored in one statement. */
  private readonly ended = new CoalescingQueue<string>(
    (ids) => this.storeMany(ids).then(() => undefined),
    (e, ids) => this.logger.error(`QA of ${ids.length} call(s) failed: ${e.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
    private readonly engine: CallEngine,
    private readonly timelines: EndedCallTimelines,
    config: AppConfig,
  ) {
    this.checks = loadCallChecks(path.resolve(config.CALL_CHECKS_FILE));
  }

  onApplicationBootstrap(): void {
    this.engine.onEnded((callId) => this.ended.push(callId));
    // Calls that ended while the server was down (or before this version) are checked in the background.
    setImmediate(() => void this.backfill().catch((e) => this.logger.error(`QA backfill failed: ${(e as Error).message}`)));
  }

  async timeline(call: CallRecord, locale: Locale): Promise<Timeline> {
    return buildTimeline(this.catalog, call, await this.log.events(call.id), locale, (id) => this.catalog.titleOf(id));
  }

  async evaluate(call: CallRecord, locale: Locale = 'zh-CN'): Promise<{ timeline: Timeline; checks: CallCheckResult[] }> {
    const timeline = await this.timeline(call, locale);
    return { timeline, checks: runCallChecks(timeline, this.checks) };
  }

  async evaluateAndStore(callId: string): Promise<CallCheckResult[]> {
    return (await this.storeMany([callId]))[0] ?? [];
  }

  /** Checks ended calls (the timeline shared with metrics) and stores all their results at once; active or unknown calls are skipped. */
  private async storeMany(callIds: string[]): Promise<CallCheckResult[][]> {
    const checkedAt = new Date().toISOString();
    const rows: { callId: string; checkId: string; applicable: boolean; passed: boolean; findings: CallCheckResult['findings']; checkedAt: string }[] = [];
    const all: CallCheckResult[][] = [];
    for (const callId of callIds) {
      let checks: CallCheckResult[];
      try {
        const ended = await this.timelines.get(callId);
        if (!ended) {
          all.push([]);
          continue;
        }
        checks = runCallChecks(ended.timeline(), this.checks);
      } catch (e) {
        // Stored as a failed pseudo-check, so the call is found (and not retried forever).
        checks = [
          {
            id: 'replayable',
            title: { 'zh-CN': '可重放', en: 'Replayable' },
            applicable: true,
            passed: false,
            findings: [{ seq: 0, stepId: '', message: (e as Error).message }],
          },
        ];
      }
      all.push(checks);
      rows.push(...checks.map((c) => ({ callId, checkId: c.id, applicable: c.applicable, passed: c.passed, findings: c.findings, checkedAt })));
    }
    if (rows.length) await this.dataSource.getRepository(CallCheckResultEntity).upsert(rows, ['callId', 'checkId']);
    return all;
  }

  /** Ended calls without stored results, oldest first, in slices so the event loop stays free. */
  async backfill(slice = 200): Promise<number> {
    let done = 0;
    for (;;) {
      const missing: { id: string }[] = await this.dataSource
        .getRepository(CallEntity)
        .createQueryBuilder('c')
        .select('c.id', 'id')
        .where(`c.status != 'active'`)
        .andWhere('NOT EXISTS (SELECT 1 FROM call_check_results r WHERE r.call_id = c.id)')
        .orderBy('c.started_at', 'ASC')
        .limit(slice)
        .getRawMany();
      if (!missing.length) return done;
      for (const { id } of missing) {
        await this.evaluateAndStore(id);
        done++;
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  async stored(callIds: string[]): Promise<CallCheckResultEntity[]> {
    return callIds.length ? this.dataSource.getRepository(CallCheckResultEntity).find({ where: { callId: In(callIds) } }) : [];
  }
}
