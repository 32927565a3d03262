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

  /**
   * The rated calls of the filter, each with its replies' count, rating sum and satisfied count
   * (a WITH clause): every group below is summed over these, in the database — the figures of
   * 100,000 replies never cross to JavaScript one by one.
   */
  private rated(f: SatisfactionFilter): { sql: string; params: string[] } {
    const w = this.where(f);
    return {
      sql: `WITH rated AS (
        SELECT r.call_id AS call_id, COUNT(*) AS n, SUM(r.rating) AS total, SUM(CASE WHEN r.rating >= ${SATISFIED_FROM} THEN 1 ELSE 0 END) AS sat
        FROM satisfaction_replies r JOIN metric_calls m ON m.call_id = r.call_id WHERE ${w.sql} GROUP BY r.call_id)`,
      params: w.params,
    };
  }

  /** Figures of groups of calls: `groups` selects (call_id, key columns…) once per call and group; the rated calls' replies are summed per group. */
  private async grouped(f: SatisfactionFilter, groups: string, keys: string[], extraParams: string[] = []): Promise<Grouped[]> {
    const rated = this.rated(f);
    const cols = keys.map((k) => `g.${k}`).join(', ');
    const rows = await this.sql.all<Record<string, string | number>>(
      `${rated.sql}
       SELECT ${cols}, SUM(rated.n) AS n, SUM(rated.total) AS total, SUM(rated.sat) AS sat
       FROM (${groups}) g JOIN rated ON rated.call_id = g.call_id GROUP BY ${cols}`,
      [...rated.params, ...extraParams],
    );
    return rows.map((r) => ({ keys: keys.map((k) => r[k]), figures: summed(Number(r.n), Number(r.total), Number(r.sat)) }));
  }

  /** Each business of the rated calls once per call (with `flowId`: that business only). */
  private byBusinessRows(f: SatisfactionFilter): Promise<Grouped[]> {
    const only = f.flowId ? ' AND s.flow_id = ?' : '';
    return this.grouped(
      f,
      `SELECT DISTINCT s.call_id AS call_id, s.flow_id AS flow_id FROM metric_segments s JOIN rated ON rated.call_id = s.call_id WHERE s.kind = 'business'${only}`,
      ['flow_id'],
      f.flowId ? [f.flowId] : [],
    );
  }

  /** The read port the evaluation model reads satisfaction through: per business. */
  async byBusiness(f: SatisfactionFilter = {}): Promise<BusinessSatisfaction[]> {
    return (await this.byBusinessRows(f))
      .map(({ keys: [flowId], figures: x }) => ({ flowId: String(flowId), ...x }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId));
  }

  async report(f: SatisfactionFilter = {}): Promise<SatisfactionReport> {
    const rated = this.rated(f);
    const only = f.flowId ? ' AND s.flow_id = ?' : '';
    const flowParam = f.flowId ? [f.flowId] : [];
    const pathOf = this.sql.dialect === 'postgres' ? `string_agg(v.step_id, '>' ORDER BY v.visit)` : `group_concat(v.step_id, '>' ORDER BY v.visit)`;
    const [channels, agents, businesses, versions, paths] = await Promise.all([
      this.sql.all<Record<string, string | number>>(
        `SELECT r.channel AS channel, COUNT(*) AS n, SUM(r.rating) AS total, SUM(CASE WHEN r.rating >= ${SATISFIED_FROM} THEN 1 ELSE 0 END) AS sat
         FROM satisfaction_replies r JOIN metric_calls m ON m.call_id = r.call_id WHERE ${this.where(f).sql} GROUP BY r.channel`,
        rated.params,
      ),
      this.grouped(
        f,
        `SELECT m.call_id AS call_id, COALESCE(u.username, m.agent_id) AS agent FROM metric_calls m JOIN rated ON rated.call_id = m.call_id LEFT JOIN users u ON u.id = m.agent_id`,
        ['agent'],
      ),
      this.byBusinessRows(f),
      this.grouped(
        f,
        `SELECT DISTINCT s.call_id AS call_id, s.flow_id AS flow_id, s.flow_version AS flow_version FROM metric_segments s JOIN rated ON rated.call_id = s.call_id WHERE s.kind = 'business'${only}`,
        ['flow_id', 'flow_version'],
        flowParam,
      ),
      this.grouped(
        f,
        // CROSS JOIN: SQLite reads the rated calls' visits by call (it would scan every visit otherwise); PostgreSQL plans it as the join it is.
        `SELECT DISTINCT s.call_id AS call_id, s.flow_id AS flow_id, COALESCE(p.path, '') AS path
         FROM metric_segments s JOIN rated ON rated.call_id = s.call_id
         LEFT JOIN (SELECT v.call_id AS call_id, v.segment AS segment, ${pathOf} AS path
                    FROM rated CROSS JOIN metric_step_visits v WHERE v.call_id = rated.call_id GROUP BY v.call_id, v.segment) p
           ON p.call_id = s.call_id AND p.segment = s.segment
         WHERE s.kind = 'business'${only}`,
        ['flow_id', 'path'],
        flowParam,
      ),
    ]);
    const channel = new Map(channels.map((r) => [String(r.channel), summed(Number(r.n), Number(r.total), Number(r.sat))]));
    const none = summed(0, 0, 0);
    let [n, total, sat] = [0, 0, 0];
    for (const r of channels) [n, total, sat] = [n + Number(r.n), total + Number(r.total), sat + Number(r.sat)];
    const surveyChannels: SurveyChannel[] = ['sms', 'ivr'];
    return {
      total: summed(n, total, sat),
      byChannel: surveyChannels.map((c) => ({ channel: c, ...(channel.get(c) ?? none) })),
      byBusiness: businesses.map(({ keys: [flowId], figures: x }) => ({ flowId: String(flowId), ...x })).sort((a, b) => a.flowId.localeCompare(b.flowId)),
      byVersion: versions
        .map(({ keys: [flowId, version], figures: x }): VersionSatisfaction => ({ flowId: String(flowId), version: Number(version), ...x }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || a.version - b.version),
      byAgent: agents
        .map(({ keys: [agentId], figures: x }): AgentSatisfaction => ({ agentId: String(agentId), ...x }))
        .sort((a, b) => a.agentId.localeCompare(b.agentId)),
      byStepPath: paths
        .map(({ keys: [flowId, path], figures: x }): StepPathSatisfaction => ({ flowId: String(flowId), path: path ? String(path).split('>') : [], ...x }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || b.replies - a.replies || a.path.join('>').localeCompare(b.path.join('>'))),
    };
  }
}

interface Grouped {
  keys: (string | number)[];
  figures: SatisfactionFigures;
}

/** The figures of `n` replies from their rating sum and satisfied count, rounded as `figures` rounds. */
function summed(n: number, total: number, satisfied: number): SatisfactionFigures {
  if (!n) return { replies: 0, averageRating: null, satisfiedRate: null };
  return { replies: n, averageRating: Math.round((total / n) * 100) / 100, satisfiedRate: Math.round((satisfied / n) * 10_000) / 10_000 };
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
