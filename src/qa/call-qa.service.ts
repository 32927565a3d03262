import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, In } from 'typeorm';
import { CallEngine } from '../calls/call-engine.service';
import { AppConfig } from '../config/app-config';
import { CallEntity } from '../decision-log/call.entity';
import { type CallRecord, DecisionLog } from '../decision-log/decision-log';
import type { Locale } from '../flows/flow-definition';
import { FlowCatalog } from '../flows/flow-catalog.service';
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

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
    private readonly engine: CallEngine,
    config: AppConfig,
  ) {
    this.checks = loadCallChecks(path.resolve(config.CALL_CHECKS_FILE));
  }

  onApplicationBootstrap(): void {
    this.engine.onEnded((callId) => void this.evaluateAndStore(callId).catch((e) => this.logger.error(`QA of call ${callId} failed: ${(e as Error).message}`)));
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
    const call = await this.log.findCall(callId);
    if (!call || call.status === 'active') return [];
    const checkedAt = new Date().toISOString();
    let checks: CallCheckResult[];
    try {
      ({ checks } = await this.evaluate(call));
    } catch (e) {
      // Stored as a failed pseudo-check, so the call is found (and not retried forever).
      checks = [{ id: 'replayable', title: { 'zh-CN': '可重放', en: 'Replayable' }, applicable: true, passed: false, findings: [{ seq: 0, stepId: '', message: (e as Error).message }] }];
    }
    await this.dataSource.getRepository(CallCheckResultEntity).upsert(
      checks.map((c) => ({ callId, checkId: c.id, applicable: c.applicable, passed: c.passed, findings: c.findings, checkedAt })),
      ['callId', 'checkId'],
    );
    return checks;
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
