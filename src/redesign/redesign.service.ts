import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Backlog, StepFlag, StepFlagRequest } from '../../protocol/redesign';
import type { AuthUser } from '../auth/auth-user';
import { CallEngine, CallRecords } from '../calls';
import { AppError } from '../common/app-error';
import { readerSqlPort } from '../common/sqlite-reader';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { EvaluationService } from '../evaluation';
import { backlogNumbers } from './backlog-numbers';
import { backlogPriority, rankBacklog } from './backlog-ranking';
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
    const { steps, segmentsOf } = await backlogNumbers(readerSqlPort(this.dataSource), flowId);
    const entries = rankBacklog(flowId, steps, await this.flags.countsOf(flowId), this.catalog.publishedVersion(flowId), segmentsOf);
    // The quadrant says how urgent this business's backlog is among all businesses (whole history).
    const { points } = await this.evaluation.quadrant({});
    return { flowId, priority: backlogPriority(flowId, points), entries };
  }

  flagsOf(flowId: string): Promise<StepFlag[]> {
    return this.flags.ofFlow(flowId);
  }
}
