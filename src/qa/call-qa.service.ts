import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, In } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { type CallRecord, DecisionLog } from '../decision-log/decision-log';
import type { Locale } from '../flows/flow-definition';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { type CallCheckSet, loadCallChecks, type CallCheckResult, notReplayable, runCallChecks } from './qa-checks';
import { CallCheckResultEntity } from './qa.entities';
import { buildTimeline, type Timeline, traceOfTimeline } from './timeline';

/**
 * The automatic QA of calls, on demand: a call re-executed from its log into a timeline (the views
 * as the agent saw them) and checked against the compliance checks declared in CALL_CHECKS_FILE.
 * Every ended call's results are stored by the end-of-call worker (src/end-of-call) from the trace
 * the call carried — the same results: the trace is the timeline reduced — so calls can be searched
 * by a failed check; they are recomputable from the log.
 */
@Injectable()
export class CallQa {
  readonly checks: CallCheckSet;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
    config: AppConfig,
  ) {
    this.checks = loadCallChecks(path.resolve(config.CALL_CHECKS_FILE));
  }

  async timeline(call: CallRecord, locale: Locale): Promise<Timeline> {
    return buildTimeline(this.catalog, call, await this.log.events(call.id), locale, (id) => this.catalog.titleOf(id));
  }

  async evaluate(call: CallRecord, locale: Locale = 'zh-CN'): Promise<{ timeline: Timeline; checks: CallCheckResult[] }> {
    const timeline = await this.timeline(call, locale);
    return { timeline, checks: runCallChecks(traceOfTimeline(timeline), this.checks) };
  }

  /** The results of an ended call, stored now (a scorecard is saved with them); [] for an active or unknown call. */
  async evaluateAndStore(callId: string): Promise<CallCheckResult[]> {
    const call = await this.log.findCall(callId);
    if (!call || call.status === 'active') return [];
    let checks: CallCheckResult[];
    try {
      checks = (await this.evaluate(call)).checks;
    } catch (e) {
      // An erased call cannot be scored: its stored results stay as the end-of-call worker wrote them.
      if (e instanceof AppError && e.code === 'CALL_ERASED') throw e;
      checks = [notReplayable((e as Error).message)];
    }
    const checkedAt = new Date().toISOString();
    const rows = checks.map((c) => ({ callId, checkId: c.id, applicable: c.applicable, passed: c.passed, findings: c.findings, checkedAt }));
    if (rows.length) await this.dataSource.getRepository(CallCheckResultEntity).upsert(rows, ['callId', 'checkId']);
    return checks;
  }

  async stored(callIds: string[]): Promise<CallCheckResultEntity[]> {
    return callIds.length ? this.dataSource.getRepository(CallCheckResultEntity).find({ where: { callId: In(callIds) } }) : [];
  }
}
