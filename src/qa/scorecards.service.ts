import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { Scorecard, ScorecardRevision } from '../../protocol/qa';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { type CallRecord, DecisionLog } from '../decision-log/decision-log';
import { CallQa } from './call-qa.service';
import { ScorecardEntity, ScorecardRevisionEntity } from './qa.entities';
import { loadScorecardForm, type ScorecardForm } from './scorecard-form';
import { type Marks, scoreCard } from './scoring';

/** The most scorecards `GET /api/qa/my-scorecards` lists (the newest). */
export const LISTED_SCORECARDS = 500;

export type { Scorecard };

/**
 * QA scorecards: the reviewer's marks combined with the call's automatic checks, scored by the
 * form in SCORECARD_FILE. Every save is a new revision kept in scorecard_revisions (who, when,
 * what); an agent reads the scorecards of their own calls.
 */
@Injectable()
export class Scorecards {
  readonly form: ScorecardForm;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly qa: CallQa,
    config: AppConfig,
  ) {
    this.form = loadScorecardForm(path.resolve(config.SCORECARD_FILE));
  }

  async create(user: AuthUser, callId: string, marks: Marks, comment?: string): Promise<Scorecard> {
    const call = await this.endedCall(callId);
    const checks = await this.qa.evaluateAndStore(callId);
    const score = scoreCard(this.form, marks, checks);
    const now = new Date().toISOString();
    const card: Scorecard = {
      id: randomUUID(),
      callId,
      agentId: call.agentId,
      reviewer: user.username,
      formVersion: this.form.version,
      marks,
      score,
      total: score.total,
      comment: comment ?? null,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(ScorecardEntity).insert(card);
      await m.getRepository(ScorecardRevisionEntity).insert({ scorecardId: card.id, revision: 1, reviewer: user.username, at: now, content: card });
    });
    return card;
  }

  /** `revision`: the one the reviewer edited; a newer one saved meanwhile refuses the save. */
  async revise(user: AuthUser, id: string, revision: number, marks: Marks, comment?: string): Promise<Scorecard> {
    const current = await this.find(id);
    if (current.revision !== revision)
      throw new AppError('STALE_SEQ', `Scorecard ${id} is at revision ${current.revision}; reload it`, { revision: current.revision });
    const checks = await this.qa.evaluateAndStore(current.callId);
    const score = scoreCard(this.form, marks, checks);
    const now = new Date().toISOString();
    const card: Scorecard = {
      ...current,
      reviewer: user.username,
      formVersion: this.form.version,
      marks,
      score,
      total: score.total,
      comment: comment ?? null,
      revision: current.revision + 1,
      updatedAt: now,
    };
    await this.dataSource.transaction(async (m) => {
      const { affected } = await m.getRepository(ScorecardEntity).update({ id, revision: current.revision }, card);
      if (!affected) throw new AppError('STALE_SEQ', 'The scorecard was changed meanwhile; reload it', { revision: current.revision });
      await m.getRepository(ScorecardRevisionEntity).insert({ scorecardId: id, revision: card.revision, reviewer: user.username, at: now, content: card });
    });
    return card;
  }

  async forCall(user: AuthUser, callId: string): Promise<Scorecard[]> {
    const call = await this.log.findCall(callId);
    if (!call) throw new AppError('NOT_FOUND', `No call ${callId}`);
    if (user.role === 'agent' && call.agentId !== user.sub) throw new AppError('FORBIDDEN', 'Agents see only their own calls');
    return this.dataSource.getRepository(ScorecardEntity).find({ where: { callId }, order: { createdAt: 'ASC' } });
  }

  /** The agent's own scorecards, newest first: the newest LISTED_SCORECARDS, from idx_scorecards_agent_updated (not every one of a career sorted). */
  mine(user: AuthUser): Promise<Scorecard[]> {
    return this.dataSource.getRepository(ScorecardEntity).find({ where: { agentId: user.sub }, order: { updatedAt: 'DESC' }, take: LISTED_SCORECARDS });
  }

  async revisions(user: AuthUser, id: string): Promise<ScorecardRevision[]> {
    const card = await this.find(id);
    if (user.role === 'agent' && card.agentId !== user.sub) throw new AppError('FORBIDDEN', 'Agents see only their own scorecards');
    return this.dataSource.getRepository(ScorecardRevisionEntity).find({ where: { scorecardId: id }, order: { revision: 'ASC' } });
  }

  private async find(id: string): Promise<Scorecard> {
    const card = await this.dataSource.getRepository(ScorecardEntity).findOneBy({ id });
    if (!card) throw new AppError('NOT_FOUND', `No scorecard ${id}`);
    return card;
  }

  private async endedCall(callId: string): Promise<CallRecord> {
    const call = await this.log.findCall(callId);
    if (!call) throw new AppError('NOT_FOUND', `No call ${callId}`);
    if (call.status === 'active') throw new AppError('INVALID_STATE', 'A call is scored once it has ended', { status: call.status });
    return call;
  }
}
