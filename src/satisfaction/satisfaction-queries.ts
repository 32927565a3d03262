import type {
  AgentSatisfaction,
  BusinessSatisfaction,
  SatisfactionFigures,
  SatisfactionReport,
  StepPathSatisfaction,
  SurveyChannel,
  VersionSatisfaction,
} from '../../protocol/satisfaction';
import type { SqlPort } from '../common/sql-port';
import { SATISFIED_FROM } from './survey-rating';

export interface SatisfactionFilter {
  /** Days of the rated calls (UTC, YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
  /** One business: only the calls that went through it, and only its figures. */
  flowId?: string;
  /** Only these agents' calls (a supervisor who sees some teams: their agents); none when empty. */
  agentIds?: readonly string[];
}

interface RatedReply {
  callId: string;
  channel: SurveyChannel;
  rating: number;
  agent: string;
}
interface RatedSegment {
  callId: string;
  segment: number;
  flowId: string;
  version: number;
}

/**
 * Satisfaction in the metrics (docs/SATISFACTION.md §3): each reply joined to its call's facts
 * (the end-of-call metrics: agent, businesses, step visits), so a call counts once its facts are
 * written, and a training call (no facts) never. A reply counts once for its call's agent, and once
 * for each business of the call with that business's version and step path: a call about two
 * businesses rates both.
 */
export class SatisfactionQueries {
  constructor(private readonly sql: SqlPort) {}

  private where(f: SatisfactionFilter): { sql: string; params: string[] } {
    const conds = ['1 = 1'];
    const params: string[] = [];
    if (f.from) {
      conds.push('m.day >= ?');
      params.push(f.from);
    }
    if (f.to) {
      conds.push('m.day <= ?');
      params.push(f.to);
    }
    if (f.flowId) {
      conds.push(`EXISTS (SELECT 1 FROM metric_segments b WHERE b.call_id = m.call_id AND b.kind = 'business' AND b.flow_id = ?)`);
      params.push(f.flowId);
    }
    if (f.agentIds) {
      conds.push(f.agentIds.length ? `m.agent_id IN (${f.agentIds.map(() => '?').join(', ')})` : '1 = 0');
      params.push(...f.agentIds);
    }
    return { sql: conds.join(' AND '), params };
  }

  private async segments(f: SatisfactionFilter): Promise<RatedSegment[]> {
    const w = this.where(f);
    const rows = await this.sql.all<RatedSegment>(
      `SELECT s.call_id AS "callId", s.segment AS segment, s.flow_id AS "flowId", s.flow_version AS version
       FROM metric_segments s JOIN metric_calls m ON m.call_id = s.call_id
       WHERE s.kind = 'business' AND EXISTS (SELECT 1 FROM satisfaction_replies r WHERE r.call_id = m.call_id) AND ${w.sql}
       ORDER BY s.call_id, s.segment`,
      w.params,
    );
    return rows.map((r) => ({ ...r, segment: Number(r.segment), version: Number(r.version) })).filter((s) => !f.flowId || s.flowId === f.flowId);
  }

  /** The read port the evaluation model reads satisfaction through: per business. */
  async byBusiness(f: SatisfactionFilter = {}): Promise<BusinessSatisfaction[]> {
    const [replies, segments] = await Promise.all([this.replies(f), this.segments(f)]);
    return this.perBusiness(replies, segments);
  }

  async report(f: SatisfactionFilter = {}): Promise<SatisfactionReport> {
    const [replies, segments] = await Promise.all([this.replies(f), this.segments(f)]);
    const w = this.where(f);
    const visits = await this.sql.all<{ callId: string; segment: number; stepId: string }>(
      `SELECT v.call_id AS "callId", v.segment AS segment, v.step_id AS "stepId"
       FROM metric_step_visits v JOIN metric_calls m ON m.call_id = v.call_id
       WHERE EXISTS (SELECT 1 FROM satisfaction_replies r WHERE r.call_id = m.call_id) AND ${w.sql}
       ORDER BY v.call_id, v.visit`,
      w.params,
    );
    const paths = new Map<string, string[]>();
    for (const v of visits) {
      const key = `${v.callId}#${Number(v.segment)}`;
      paths.set(key, [...(paths.get(key) ?? []), v.stepId]);
    }
    const ratingsOf = (calls: Set<string>) => replies.filter((r) => calls.has(r.callId)).map((r) => r.rating);
    // Each group keeps its calls once: a business done twice in a call rates it once.
    const version = new Map<string, { flowId: string; version: number; calls: Set<string> }>();
    const path = new Map<string, { flowId: string; path: string[]; calls: Set<string> }>();
    for (const s of segments) {
      const steps = paths.get(`${s.callId}#${s.segment}`) ?? [];
      const vk = `${s.flowId}@${s.version}`;
      const pk = `${s.flowId}:${steps.join('>')}`;
      if (!version.has(vk)) version.set(vk, { flowId: s.flowId, version: s.version, calls: new Set() });
      if (!path.has(pk)) path.set(pk, { flowId: s.flowId, path: steps, calls: new Set() });
      version.get(vk)!.calls.add(s.callId);
      path.get(pk)!.calls.add(s.callId);
    }
    const byAgent = new Map<string, number[]>();
    for (const r of replies) byAgent.set(r.agent, [...(byAgent.get(r.agent) ?? []), r.rating]);
    const channels: SurveyChannel[] = ['sms', 'ivr'];
    return {
      total: figures(replies.map((r) => r.rating)),
      byChannel: channels.map((channel) => ({ channel, ...figures(replies.filter((r) => r.channel === channel).map((r) => r.rating)) })),
      byBusiness: this.perBusiness(replies, segments),
      byVersion: [...version.values()]
        .map(({ flowId, version: v, calls }): VersionSatisfaction => ({ flowId, version: v, ...figures(ratingsOf(calls)) }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || a.version - b.version),
      byAgent: [...byAgent.entries()]
        .map(([agentId, ratings]): AgentSatisfaction => ({ agentId, ...figures(ratings) }))
        .sort((a, b) => a.agentId.localeCompare(b.agentId)),
      byStepPath: [...path.values()]
        .map(({ flowId, path: steps, calls }): StepPathSatisfaction => ({ flowId, path: steps, ...figures(ratingsOf(calls)) }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || b.replies - a.replies || a.path.join('>').localeCompare(b.path.join('>'))),
    };
  }

  private async replies(f: SatisfactionFilter): Promise<RatedReply[]> {
    const w = this.where(f);
    const rows = await this.sql.all<RatedReply & { agentId: string; username: string | null }>(
      `SELECT r.call_id AS "callId", r.channel AS channel, r.rating AS rating, m.agent_id AS "agentId", u.username AS username
       FROM satisfaction_replies r JOIN metric_calls m ON m.call_id = r.call_id LEFT JOIN users u ON u.id = m.agent_id
       WHERE ${w.sql} ORDER BY r.message_id`,
      w.params,
    );
    return rows.map((r) => ({ callId: r.callId, channel: r.channel, rating: Number(r.rating), agent: r.username ?? r.agentId }));
  }

  private perBusiness(replies: RatedReply[], segments: RatedSegment[]): BusinessSatisfaction[] {
    const calls = new Map<string, Set<string>>();
    for (const s of segments) calls.set(s.flowId, (calls.get(s.flowId) ?? new Set()).add(s.callId));
    return [...calls.entries()]
      .map(([flowId, ids]) => ({ flowId, ...figures(replies.filter((r) => ids.has(r.callId)).map((r) => r.rating)) }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId));
  }
}

/** Count, mean (2 decimals) and share rated 4–5 (4 decimals). */
export function figures(ratings: number[]): SatisfactionFigures {
  const n = ratings.length;
  if (!n) return { replies: 0, averageRating: null, satisfiedRate: null };
  const sum = ratings.reduce((a, b) => a + b, 0);
  return {
    replies: n,
    averageRating: Math.round((sum / n) * 100) / 100,
    satisfiedRate: Math.round((ratings.filter((r) => r >= SATISFIED_FROM).length / n) * 10_000) / 10_000,
  };
}
