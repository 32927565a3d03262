import type { OtherNeed, ScoreGrouping } from '../../protocol/evaluation';
import type { SqlPort } from '../common/sql-port';
import { factWhere, type Grain, MAX_FCR_DAYS, type MetricsFilter, REPEAT_COLUMNS, rollupWhere } from '../metrics';
import type { GroupFigures } from './formulas';
import type { SatisfactionFigures } from './satisfaction-source';

export type Grouping = ScoreGrouping | 'total';
export const TOTAL = '*';

/** How each grouping reads: the rollup grain that keeps its dimension, its columns over the rollups and over the facts (`m` = metric_calls). */
const GROUPINGS: Record<Grouping, { grain: Grain; cols: string[]; facts: string[] }> = {
  total: { grain: 'day', cols: [], facts: [] },
  business: { grain: 'day', cols: ['flow_id'], facts: ['m.flow_id'] },
  version: { grain: 'day', cols: ['flow_id', 'flow_version'], facts: ['m.flow_id', 'm.flow_version'] },
  region: { grain: 'profile', cols: ['region'], facts: ['m.region'] },
  // Read per agent, folded into the agents' teams.
  team: { grain: 'agent', cols: ['agent_id'], facts: ['m.agent_id'] },
  month: { grain: 'day', cols: ['substr(day, 1, 7)'], facts: ['substr(m.day, 1, 7)'] },
};

const FLOW_COLS = [
  'calls',
  'call_ms',
  'call_wait_ms',
  'segments',
  'successes',
  'abandoned',
  'agent_steps',
  'over_target',
  'eligible',
  'presented',
  'accepted',
  'needs_asked',
  'needs_matched',
];
type Row = Record<string, string | number | null>;

/**
 * The figures of every group from the rollups (flows, steps), the compliance results, the search
 * log and the satisfaction replies — one query per source, whatever the number of indicators.
 */
export class EvaluationQueries {
  constructor(
    private readonly sql: SqlPort,
    private readonly satisfaction: SatisfactionFigures,
    /** Whole months from the month rollups (false: day rows only). */
    private readonly months = true,
  ) {}

  /** The grouping's columns over the rollups. */
  private select(g: Grouping): { keys: string; groupBy: string } {
    const { cols } = GROUPINGS[g];
    // On SQLite `+col` keeps the planner off the (grain, flow_id, …) index when the filter names no flow (src/metrics/metrics-queries.ts).
    const grouped = cols.map((c) => (this.sql.dialect === 'sqlite' && !c.includes('(') ? `+${c}` : c));
    return {
      keys: cols.map((c, i) => `${c} AS "k${i}", `).join(''),
      groupBy: grouped.length ? ` GROUP BY ${grouped.join(', ')}` : '',
    };
  }

  /** The "other" needs at ask-need with the words the agent typed, newest first (at most `limit`; the day index). */
  async otherNeeds(f: MetricsFilter, limit: number): Promise<OtherNeed[]> {
    const terms: string[] = [];
    const params: string[] = [];
    const eq = (sql: string, v: string | undefined) => {
      if (v === undefined) return;
      terms.push(sql);
      params.push(v);
    };
    eq('day >= ?', f.from);
    eq('day <= ?', f.to);
    eq('region = ?', f.region);
    eq('agent_id = ?', f.agentId);
    if (f.agentIds) {
      terms.push(f.agentIds.length ? `agent_id IN (${f.agentIds.map(() => '?').join(', ')})` : '1 = 0');
      params.push(...f.agentIds);
    }
    const rows = await this.sql.all<OtherNeed>(
      `SELECT call_id AS "callId", day, region, note FROM metric_other_needs${terms.length ? ` WHERE ${terms.join(' AND ')}` : ''} ORDER BY day DESC, call_id LIMIT ${Math.floor(limit)}`,
      params,
    );
    return rows.map((r) => ({ callId: r.callId, day: r.day, region: r.region, note: r.note ?? null }));
  }

  /** Figures per group key; `teamOf` folds agents into teams (grouping `team`). */
  async figures(f: MetricsFilter, by: Grouping, fcrDays: number, teamOf: (agentId: string) => string): Promise<Map<string, GroupFigures>> {
    const spec = GROUPINGS[by];
    const keyOf = (r: Row) => (by === 'team' ? teamOf(String(r.k0)) : spec.cols.length ? spec.cols.map((_, i) => String(r[`k${i}`])).join('@') : TOTAL);
    const out = new Map<string, GroupFigures>();
    const at = (key: string) => out.get(key) ?? (out.set(key, {}), out.get(key)!);
    const add = <T extends Record<string, number>>(into: T | undefined, r: Row, cols: string[]): T => {
      const t = (into ?? Object.fromEntries(cols.map((c) => [c, 0]))) as Record<string, number>;
      for (const c of cols) t[c] += Number(r[c] ?? 0);
      return t as T;
    };

    const w = rollupWhere(f, this.months, spec.grain);
    const sel = this.select(by);
    const repeats = REPEAT_COLUMNS.slice(0, Math.min(fcrDays, MAX_FCR_DAYS));
    const flows = await this.sql.all<Row>(
      `SELECT ${sel.keys}${FLOW_COLS.map((c) => `SUM("${c}") AS "${c}"`).join(', ')}, ${repeats.map((c) => `SUM("${c}")`).join(' + ') || '0'} AS "repeats"
       FROM metric_rollup_flows WHERE ${w.sql}${sel.groupBy}`,
      w.params,
    );
    for (const r of flows) {
      if (!Number(r.calls) && !Number(r.segments)) continue;
      const g = at(keyOf(r));
      g.flows = add(g.flows, r, [...FLOW_COLS, 'repeats']);
      // Each agent row of a team is one agent.
      if (by === 'team' && Number(r.calls) > 0) g.agents = (g.agents ?? 0) + 1;
    }
    if (by !== 'team') {
      const wa = rollupWhere(f, this.months, 'agent');
      const agents = await this.sql.all<Row>(
        `SELECT ${sel.keys}COUNT(DISTINCT agent_id) AS n FROM metric_rollup_flows WHERE ${wa.sql} AND calls > 0${sel.groupBy}`,
        wa.params,
      );
      for (const r of agents) if (out.has(keyOf(r))) out.get(keyOf(r))!.agents = Number(r.n);
    }

    if (by !== 'team') {
      const steps = await this.sql.all<Row>(
        `SELECT ${sel.keys}SUM(waits) AS waits, SUM(wait_ms) AS wait_ms, SUM(failures) AS failures FROM metric_rollup_steps WHERE ${w.sql}${sel.groupBy}`,
        w.params,
      );
      for (const r of steps) {
        const g = at(keyOf(r));
        if (Number(r.waits) > 0 && g.steps !== 'not-by-group') g.steps = add(g.steps, r, ['waits', 'wait_ms', 'failures']);
      }
    }

    const fw = factWhere(f, 'm');
    const fsel = this.factSelect(by);
    const checks = await this.sql.all<Row>(
      `SELECT ${fsel.keys}SUM(CASE WHEN r.applicable = TRUE THEN 1 ELSE 0 END) AS applicable, SUM(CASE WHEN r.applicable = TRUE AND r.passed = TRUE THEN 1 ELSE 0 END) AS passed
       FROM call_check_results r JOIN metric_calls m ON m.call_id = r.call_id WHERE ${fw.sql}${fsel.groupBy}`,
      fw.params,
    );
    for (const r of checks) if (Number(r.applicable) > 0) at(keyOf(r)).compliance = add(at(keyOf(r)).compliance, r, ['applicable', 'passed']);

    for (const r of await this.satisfaction.figures(this.sql, f, fsel.keys, fsel.groupBy)) {
      const g = at(keyOf(r));
      g.satisfaction = add(g.satisfaction, r, ['replies', 'scoreSum', 'satisfied']);
    }

    if (!(await this.searches(f, by, at))) for (const g of out.values()) g.searches = 'not-by-group';
    if (by === 'team') for (const g of out.values()) g.steps = 'not-by-group';
    return out;
  }

  /** The grouping's columns over the facts (`m` = metric_calls). */
  private factSelect(by: Grouping): { keys: string; groupBy: string } {
    const cols = GROUPINGS[by].facts;
    return { keys: cols.map((c, i) => `${c} AS "k${i}", `).join(''), groupBy: cols.length ? ` GROUP BY ${cols.join(', ')}` : '' };
  }

  /**
   * Search accuracy from the search log (src/knowledge): it knows when and who, not the business or
   * the customer, so it answers the whole range and months only, and only when the filter names no
   * other dimension.
   */
  private async searches(f: MetricsFilter, by: Grouping, at: (key: string) => GroupFigures): Promise<boolean> {
    const other =
      f.flowId !== undefined ||
      f.version !== undefined ||
      f.region !== undefined ||
      f.agentId !== undefined ||
      f.agentIds !== undefined ||
      f.brand !== undefined ||
      f.tier !== undefined;
    if (other || (by !== 'total' && by !== 'month')) return false;
    const terms = ['picked_ref IS NOT NULL'];
    const params: string[] = [];
    for (const [term, v] of [['substr(at, 1, 10) >= ?', f.from] as const, ['substr(at, 1, 10) <= ?', f.to] as const]) {
      if (v === undefined) continue;
      terms.push(term);
      params.push(v);
    }
    const month = by === 'month';
    const rows = await this.sql.all<Row>(
      `SELECT ${month ? 'substr(at, 1, 7) AS "k0", ' : ''}COUNT(*) AS picked, SUM(CASE WHEN picked_rank IS NOT NULL AND picked_rank <= 3 THEN 1 ELSE 0 END) AS top3
       FROM search_log WHERE ${terms.join(' AND ')}${month ? ' GROUP BY substr(at, 1, 7)' : ''}`,
      params,
    );
    for (const r of rows) if (Number(r.picked) > 0) at(month ? String(r.k0) : TOTAL).searches = { picked: Number(r.picked), top3: Number(r.top3) };
    return true;
  }
}
