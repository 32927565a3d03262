import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Backlog, StepFlag, StepFlagRequest } from '../../protocol/redesign';
import type { AuthUser } from '../auth/auth-user';
import { CallEngine, CallRecords } from '../calls';
import { AppError } from '../common/app-error';
import { readerSqlPort } from '../common/sqlite-reader';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { EvaluationService } from '../evaluation';
import { backlogPriority, rankBacklog, type StepNumbers } from './backlog-ranking';
import { StepFlags } from './step-flags.store';

/** Step flags in, the ranked redesign backlog out (docs/REDESIGN.md). */
@Injectable()
export class Redesign {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: CallEngine,
    private readonly records: CallRecords,
    private readonly catalog: FlowCatalog,
    private readonly flags: StepFlags,
    private readonly evaluation: EvaluationService,
  ) {}

  /** The agent's flag: first a `step.flag` event in the call's log (the call's own record), then its index row. */
  async agentFlag(user: AuthUser, callId: string, body: StepFlagRequest): Promise<StepFlag> {
    const event = await this.engine.flagStep(user, callId, { reason: body.reason, text: body.text });
    const stored = await this.flags.add({
      source: 'agent',
      flowId: event.flowId,
      version: event.flowVersion,
      stepId: event.stateAfter,
      reason: body.reason,
      text: body.text,
      callId,
      seq: event.seq,
      actor: user.username,
      at: event.at,
    });
    return stored!;
  }

  /** QA's flag on one view of a replay: an audited row (who, when, the call and view). One per view. */
  async qaFlag(user: AuthUser, callId: string, body: StepFlagRequest & { seq: number }): Promise<StepFlag> {
    const call = await this.records.read(user, callId);
    const view = call.events.find((e) => e.seq === body.seq);
    if (!view) throw new AppError('NOT_FOUND', `Call ${callId} has no view ${body.seq}`);
    const stored = await this.flags.add({
      source: 'qa',
      flowId: view.flowIdAfter ?? view.flowId,
      version: view.flowVersionAfter ?? view.flowVersion,
      stepId: view.stateAfter,
      reason: body.reason,
      text: body.text,
      callId,
      seq: body.seq,
      actor: user.username,
      at: new Date().toISOString(),
    });
    if (!stored) throw new AppError('INVALID_STATE', `View ${body.seq} of call ${callId} is flagged already`);
    return stored;
  }

  async backlog(flowId: string): Promise<Backlog> {
    if (!this.catalog.list().some((f) => f.id === flowId)) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    const sql = readerSqlPort(this.dataSource);
    // Whole history from the month rollups (the heat map's numbers): every version of the business.
    const steps = await sql.all<Record<string, string | number>>(
      `SELECT flow_version AS version, step_id AS "stepId", SUM(visits) AS visits, SUM(failures) AS failures, SUM(wait_ms) AS "waitMs"
       FROM metric_rollup_steps WHERE grain = 'month' AND flow_id = ? GROUP BY flow_version, step_id`,
      [flowId],
    );
    const calls = await sql.all<{ version: number; segments: number }>(
      `SELECT flow_version AS version, SUM(segments) AS segments FROM metric_rollup_flows WHERE grain = 'month' AND flow_id = ? GROUP BY flow_version`,
      [flowId],
    );
    const numbers: StepNumbers[] = steps.map((r) => ({
      version: Number(r.version),
      stepId: String(r.stepId),
      visits: Number(r.visits),
      failures: Number(r.failures),
      waitMs: Number(r.waitMs),
    }));
    const segments = new Map(calls.map((c) => [Number(c.version), Number(c.segments)]));
    const entries = rankBacklog(flowId, numbers, await this.flags.ofFlow(flowId), this.catalog.publishedVersion(flowId), (v) => segments.get(v) ?? 0);
    // The quadrant says how urgent this business's backlog is among all businesses (whole history).
    const { points } = await this.evaluation.quadrant({});
    return { flowId, priority: backlogPriority(flowId, points), entries };
  }

  flagsOf(flowId: string): Promise<StepFlag[]> {
    return this.flags.ofFlow(flowId);
  }
}
