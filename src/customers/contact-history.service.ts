import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { ContactHistory, PastCall } from '../../protocol/customers';
import { UserEntity } from '../auth/user.entity';
import { AppConfig } from '../config/app-config';
import { CallEntity } from '../decision-log/call.entity';
import { WorkItems } from '../work-items';

const RECENT_CALLS = 5;
const RECENT_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * The caller's history at the screen pop (issue 20 item 3): their last ended calls (when, businesses,
 * outcome, agent), their work items — still to do first, so a repeat caller is greeted with what they
 * are waiting for — and whether this is a repeat contact (an ended call within the FCR window, the
 * same window the metrics' first-contact resolution uses). Matched by the number as the calls log
 * keeps it: an erased subscriber's calls no longer carry it, and are not found.
 */
@Injectable()
export class ContactHistories {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly workItems: WorkItems,
  ) {}

  async of(callerNumber: string, now = Date.now()): Promise<ContactHistory> {
    const fcrSince = new Date(now - this.config.METRICS_FCR_DAYS * DAY_MS).toISOString();
    const calls = await recentEndedCalls(this.dataSource, callerNumber, new Date(now - RECENT_DAYS * DAY_MS).toISOString()).getMany();
    const agents = calls.length
      ? new Map(
          (await this.dataSource.getRepository(UserEntity).find({ where: calls.map((c) => ({ id: c.agentId })), select: { id: true, username: true } })).map(
            (u) => [u.id, u.username],
          ),
        )
      : new Map<string, string>();
    const recentCalls = calls.map((c): PastCall => ({
      callId: c.id,
      startedAt: c.startedAt,
      agent: agents.get(c.agentId) ?? c.agentId,
      status: c.status,
      outcome: c.outcome,
      businesses: businessesOf(c),
    }));
    const items = (await this.workItems.forCaller(callerNumber, fcrSince)).map(({ id, type, business, status, receiptId, dueAt, overdue }) => ({
      id,
      type,
      business,
      status,
      receiptId,
      dueAt,
      overdue,
    }));
    const last = recentCalls[0];
    const repeatOf =
      last && last.startedAt >= fcrSince
        ? { callId: last.callId, startedAt: last.startedAt, flowIds: last.businesses.map((b) => b.flowId), fcrDays: this.config.METRICS_FCR_DAYS }
        : null;
    return { recentCalls, items, repeatOf };
  }
}

/**
 * The number's newest ended calls since `since`, newest first. Read from `idx_calls_caller_started`
 * backwards: five rows, however many calls the number made (migration 1765770000000).
 */
export function recentEndedCalls(dataSource: DataSource, callerNumber: string, since: string): SelectQueryBuilder<CallEntity> {
  return dataSource
    .getRepository(CallEntity)
    .createQueryBuilder('c')
    .where('c.caller_number = :n AND c.ended_at IS NOT NULL AND c.started_at >= :since', { n: callerNumber, since })
    .andWhere('NOT EXISTS (SELECT 1 FROM training_calls t WHERE t.call_id = c.id)') // a trainee's simulated call is no contact
    .orderBy('c.started_at', 'DESC')
    .limit(RECENT_CALLS);
}

/** The call's businesses as its summary recorded them (`outcomeDetail.businesses`), else the one it started in. */
function businessesOf(c: CallEntity): PastCall['businesses'] {
  const listed = c.outcomeDetail?.businesses;
  if (Array.isArray(listed)) {
    return listed.map((b: { flowId?: unknown; outcome?: unknown }) => ({
      flowId: String(b.flowId),
      outcome: typeof b.outcome === 'string' ? b.outcome : null,
    }));
  }
  return [{ flowId: c.flowId, outcome: c.outcome }];
}
