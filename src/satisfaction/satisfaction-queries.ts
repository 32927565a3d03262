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
import { RATING_COLUMNS, rollupWhere, SATISFACTION_ROLLUP_TABLE } from '../metrics';
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
 * Satisfaction in the metrics (docs/SATISFACTION.md §3): each reply counted with its call's facts
 * (the end-of-call metrics: agent, businesses, step paths), so a call counts once its facts are
 * written, and a training call (no facts) never. A reply counts once for its call's agent, and once
 * for each business of the call with that business's version and step path: a call about two
 * businesses rates both. Read from the satisfaction rollups (src/metrics/satisfaction-rollups.ts):
 * whole months from the month rows, the edge days from the day rows; the agent grain when the
 * filter names agents or the figures are per agent.
 */
export class SatisfactionQueries {
  constructor(private readonly sql: SqlPort) {}

  /** The rows of `kind` in the filter (the call once under a business filter: that business's rows). */
  private where(f: SatisfactionFilter, kind: 'call' | 'business' | 'version' | 'path', atLeast: 'day' | 'agent'): { sql: string; params: (string | number)[] } {
    const w = rollupWhere({ from: f.from, to: f.to, agentIds: f.agentIds && [...f.agentIds] }, true, atLeast);
    const rowKind = kind === 'call' && f.flowId ? 'business' : kind;
    return {
      sql: `${w.sql} AND kind = ?${f.flowId ? ' AND flow_id = ?' : ''}`,
      params: [...w.params, rowKind, ...(f.flowId ? [f.flowId] : [])],
    };
  }

  /** Figures of the rows of `kind`, grouped by `keys` (columns of the rollup table). */
  private async grouped(
    f: SatisfactionFilter,
    kind: 'call' | 'business' | 'version' | 'path',
    keys: string[],
    atLeast: 'day' | 'agent' = 'day',
  ): Promise<Grouped[]> {
    const w = this.where(f, kind, atLeast);
    const cols = keys.join(', ');
    const rows = await this.sql.all<Record<string, string | number>>(
      `SELECT ${cols}${cols ? ',' : ''} ${RATING_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')} FROM ${SATISFACTION_ROLLUP_TABLE} WHERE ${w.sql}${cols ? ` GROUP BY ${cols}` : ''}`,
      w.params,
    );
    return rows.map((r) => ({ keys: keys.map((k) => r[k]), counts: RATING_COLUMNS.map((c) => Number(r[c] ?? 0)) }));
  }

  /** The read port the evaluation model reads satisfaction through: per business. */
  async byBusiness(f: SatisfactionFilter = {}): Promise<BusinessSatisfaction[]> {
    return (await this.grouped(f, 'business', ['flow_id']))
      .map(({ keys: [flowId], counts }) => ({ flowId: String(flowId), ...figuresOf(counts) }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId));
  }

  async report(f: SatisfactionFilter = {}): Promise<SatisfactionReport> {
    const [channels, agents, businesses, versions, paths] = await Promise.all([
      this.grouped(f, 'call', ['channel']),
      this.grouped(f, 'call', ['agent_id'], 'agent'),
      this.byBusiness(f),
      this.grouped(f, 'version', ['flow_id', 'flow_version']),
      this.grouped(f, 'path', ['flow_id', 'path']),
    ]);
    const names = await this.usernames(agents.map((a) => String(a.keys[0])));
    const channel = new Map(channels.map(({ keys: [c], counts }) => [String(c), figuresOf(counts)]));
    const none = figures([]);
    const surveyChannels: SurveyChannel[] = ['sms', 'ivr'];
    return {
      total: figuresOf(RATING_COLUMNS.map((_, i) => channels.reduce((a, c) => a + c.counts[i], 0))),
      byChannel: surveyChannels.map((c) => ({ channel: c, ...(channel.get(c) ?? none) })),
      byBusiness: businesses,
      byVersion: versions
        .map(({ keys: [flowId, version], counts }): VersionSatisfaction => ({ flowId: String(flowId), version: Number(version), ...figuresOf(counts) }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || a.version - b.version),
      byAgent: agents
        .map(({ keys: [agentId], counts }): AgentSatisfaction => ({ agentId: names.get(String(agentId)) ?? String(agentId), ...figuresOf(counts) }))
        .sort((a, b) => a.agentId.localeCompare(b.agentId)),
      byStepPath: paths
        .map(({ keys: [flowId, path], counts }): StepPathSatisfaction => ({
          flowId: String(flowId),
          path: path ? String(path).split('>') : [],
          ...figuresOf(counts),
        }))
        .sort((a, b) => a.flowId.localeCompare(b.flowId) || b.replies - a.replies || a.path.join('>').localeCompare(b.path.join('>'))),
    };
  }

  /** The agents' usernames (an agent since removed keeps its id). */
  private async usernames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.sql.all<{ id: string; username: string }>(`SELECT id, username FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return new Map(rows.map((r) => [String(r.id), r.username]));
  }
}

interface Grouped {
  keys: (string | number)[];
  /** Replies rated 1 … 5. */
  counts: number[];
}

/** Figures of replies counted per rating 1–5: replies, mean (2 decimals) and share rated 4–5 (4 decimals). */
function figuresOf(counts: number[]): SatisfactionFigures {
  const n = counts.reduce((a, b) => a + b, 0);
  if (!n) return { replies: 0, averageRating: null, satisfiedRate: null };
  const total = counts.reduce((a, c, i) => a + c * (i + 1), 0);
  const satisfied = counts.slice(SATISFIED_FROM - 1).reduce((a, b) => a + b, 0);
  return { replies: n, averageRating: Math.round((total / n) * 100) / 100, satisfiedRate: Math.round((satisfied / n) * 10_000) / 10_000 };
}

/** The figures of these ratings (1–5). */
export function figures(ratings: number[]): SatisfactionFigures {
  const counts = [0, 0, 0, 0, 0];
  for (const r of ratings) counts[r - 1]++;
  return figuresOf(counts);
}
