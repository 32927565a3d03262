import { type Grain, MONTHLY, type MonthlyGrain, monthOf } from './rollup-schema';

export interface MetricsFilter {
  /** First and last day included (UTC, `YYYY-MM-DD`). */
  from?: string;
  to?: string;
  flowId?: string;
  version?: number;
  region?: string;
  /** Agent user id (resolved from the username). */
  agentId?: string;
  /** Only these agents (a supervisor who sees some teams: their agents; src/people). */
  agentIds?: string[];
  brand?: string;
  tier?: string;
}

/** The smallest rollup grain that keeps every dimension the filter names (and at least `atLeast`: a grouping's dimension). */
export function grainFor(f: MetricsFilter, atLeast: Grain = 'day'): Grain {
  if (f.agentId !== undefined || f.agentIds !== undefined || atLeast === 'agent') return 'agent';
  if (f.region !== undefined || f.brand !== undefined || f.tier !== undefined || atLeast === 'profile') return 'profile';
  return 'day';
}

/** One slice of a date range and the rollup rows that answer it (`from`/`to` are days, or months on a month grain). */
export interface RollupPart {
  grain: Grain | MonthlyGrain;
  from?: string;
  to?: string;
}

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * The filter's date range as rollup parts: the calendar months it covers whole from the month rows,
 * the partial months at its edges (at most two) from the day rows. Covering is decided by the same
 * string comparison the day rows get (`day >= from AND day <= to`), so the parts select exactly the
 * days a day-only read would. `months: false` reads day rows only (the reference the tests compare with).
 */
export function rollupParts(f: MetricsFilter, months = true, atLeast: Grain = 'day'): RollupPart[] {
  const grain = grainFor(f, atLeast);
  if (!months) return [{ grain, from: f.from, to: f.to }];
  // First and last whole month (undefined = unbounded on that side).
  const first = f.from === undefined ? undefined : f.from <= `${monthOf(f.from)}-01` ? monthOf(f.from) : shiftMonth(monthOf(f.from), 1);
  const last = f.to === undefined ? undefined : f.to >= lastDayOf(monthOf(f.to)) ? monthOf(f.to) : shiftMonth(monthOf(f.to), -1);
  if (first !== undefined && last !== undefined && first > last) return [{ grain, from: f.from, to: f.to }];
  const parts: RollupPart[] = [{ grain: MONTHLY[grain], from: first, to: last }];
  if (f.from !== undefined && first !== monthOf(f.from)) parts.unshift({ grain, from: f.from, to: lastDayOf(monthOf(f.from)) });
  if (f.to !== undefined && last !== monthOf(f.to)) parts.push({ grain, from: `${monthOf(f.to)}-01`, to: f.to });
  return parts;
}

/** `WHERE` over a rollup table (alias-free) for the filter, with its parameters. */
export function rollupWhere(f: MetricsFilter, months = true, atLeast: Grain = 'day'): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const slices = rollupParts(f, months, atLeast).map((p) => {
    const terms = ['grain = ?'];
    params.push(p.grain);
    if (p.from !== undefined) {
      terms.push('day >= ?');
      params.push(p.from);
    }
    if (p.to !== undefined) {
      terms.push('day <= ?');
      params.push(p.to);
    }
    return `(${terms.join(' AND ')})`;
  });
  const w = dimensionWhere(f, '');
  return { sql: [slices.length > 1 ? `(${slices.join(' OR ')})` : slices[0], ...w.parts].join(' AND '), params: [...params, ...w.params] };
}

function dimensionWhere(f: MetricsFilter, prefix: string): { parts: string[]; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const eq = (col: string, v: string | number | undefined) => {
    if (v === undefined) return;
    parts.push(`${prefix}${col} = ?`);
    params.push(v);
  };
  eq('flow_id', f.flowId);
  eq('flow_version', f.version);
  eq('region', f.region);
  eq('agent_id', f.agentId);
  if (f.agentIds !== undefined) {
    parts.push(f.agentIds.length ? `${prefix}agent_id IN (${f.agentIds.map(() => '?').join(', ')})` : '1 = 0');
    params.push(...f.agentIds);
  }
  eq('brand', f.brand);
  eq('tier', f.tier);
  return { parts, params };
}

/** The same filter over the `metric_calls` facts (compliance). */
export function factWhere(f: MetricsFilter, alias: string): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (f.from) {
    parts.push(`${alias}.day >= ?`);
    params.push(f.from);
  }
  if (f.to) {
    parts.push(`${alias}.day <= ?`);
    params.push(f.to);
  }
  const w = dimensionWhere(f, `${alias}.`);
  return { sql: [...parts, ...w.parts].join(' AND ') || '1 = 1', params: [...params, ...w.params] };
}

export const rate = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
export const avg = (sum: number, n: number): number | null => (n > 0 ? Math.round(sum / n) : null);
