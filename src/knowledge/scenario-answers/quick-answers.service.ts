import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { QuickAnswer, QuickAnswerLogged, QuickAnswers } from '../../../protocol/knowledge';
import type { AuthUser } from '../../auth/auth-user';
import { type AccountQuery, BackendPort } from '../../backend/backend.port';
import { CallEngine } from '../../calls';
import { AppError } from '../../common/app-error';
import { AppConfig } from '../../config/app-config';
import { ANSWER_RENDERERS } from './answer-renderers';
import { loadScenarioAnswers, type ScenarioAnswerSpec } from './scenario-answers-file';
import { ProfileReads } from '../../customers';

/** The most a pop waits for the support systems: a quick answer late is shown as unavailable, never holds the card. */
const POP_WAIT_MS = 2_000;

/**
 * Scenario answers (issue 22 item 3, docs/KNOWLEDGE.md): questions answered from the caller's data,
 * not by a flow — read from the back end at the screen pop (one query per kind, at once, bounded) and,
 * when the agent tells one to the caller in a call, read again and logged as a `quick.answer` call
 * event with the reply it came from (a replay shows what was told; nothing is recomputed).
 */
@Injectable()
export class QuickAnswersService {
  private readonly specs: ScenarioAnswerSpec[];

  constructor(
    private readonly backend: BackendPort,
    private readonly engine: CallEngine,
    private readonly reads: ProfileReads,
    config: AppConfig,
  ) {
    this.specs = loadScenarioAnswers(path.resolve(config.SCENARIO_ANSWERS_FILE));
  }

  /** The caller's account data is read for `user`: recorded first, as the screen pop's profile is (GET /api/profile-reads). */
  async forCaller(user: AuthUser, msisdn: string): Promise<QuickAnswers> {
    await this.reads.record(user, msisdn);
    const queries = [...new Set(this.specs.map((s) => s.query))];
    const replies = new Map(await Promise.all(queries.map(async (q) => [q, await this.read(msisdn, q, `pop:${randomUUID()}`)] as const)));
    return { msisdn, answers: this.specs.map((s) => this.answer(s, replies.get(s.query) ?? null)) };
  }

  async tell(user: AuthUser, callId: string, answerId: string): Promise<QuickAnswerLogged> {
    const spec = this.specs.find((s) => s.id === answerId);
    if (!spec) throw new AppError('VALIDATION_FAILED', `No quick answer '${answerId}'`, [{ field: 'answerId', problems: ['must be a quick answer'] }]);
    const call = await this.engine.attach(user, callId);
    const reply = await this.read(call.progress.record.callerNumber, spec.query, `${callId}:quick:${spec.id}:${call.progress.record.seq}`);
    if (!reply) throw new AppError('INVALID_STATE', 'The support systems did not answer: tell the caller once they do');
    const answer = this.answer(spec, reply);
    const event = await this.engine.tellQuickAnswer(user, callId, { answerId: spec.id, query: spec.query, reply, facts: answer.facts });
    return { seq: event.seq, answer };
  }

  private answer(spec: ScenarioAnswerSpec, reply: Record<string, unknown> | null): QuickAnswer {
    return { id: spec.id, question: spec.question, facts: reply ? ANSWER_RENDERERS[spec.render](reply) : null };
  }

  private async read(msisdn: string, what: AccountQuery, idempotencyKey: string): Promise<Record<string, unknown> | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), POP_WAIT_MS)));
    try {
      return await Promise.race([this.backend.queryAccount({ msisdn, idempotencyKey, what }).catch(() => null), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
