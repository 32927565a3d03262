import type { Grain } from './rollup-schema';

export interface MetricsFilter {
  /** First and last day included (UTC, `YYYY-MM-DD`). */
  from?: string;
  to?: string;
  flowId?: string;
  version?: number;
  region?: string;
  /** Agent user id (resolved from the username). */
  agentId?: string;
  brand?: string;
  tier?: string;
}

/** The smallest rollup grain that keeps every dimension the filter names. */
export function grainFor(f: MetricsFilter): Grain {
  if (f.agentId !== undefined) return 'agent';
  if (f.region !== undefined || f.brand !== undefined || f.tier !== undefined) return 'profile';
  return 'day';
}

/** `WHERE` over a rollup table (alias-free) for the filter, with its parameters. */
export function rollupWhere(f: MetricsFilter, prefix = ''): { sql: string; params: (string | number)[] } {
  const parts = [`${prefix}grain = ?`];
  const params: (string | number)[] = [grainFor(f)];
  const eq = (col: string, v: string | number | undefined) => {
    if (v === undefined) return;
    parts.push(`${prefix}${col} = ?`);
    params.push(v);
  };
  if (f.from) (parts.push(`${prefix}day >= ?`), params.push(f.from));
  if (f.to) (parts.push(`${prefix}day <= ?`), params.push(f.to));
  eq('flow_id', f.flowId);
  eq('flow_version', f.version);
  eq('region', f.region);
  eq('agent_id', f.agentId);
  eq('brand', f.brand);
  eq('tier', f.tier);
  return { sql: parts.join(' AND '), params };
}

/** The same filter over the `metric_calls` facts (compliance). */
export function factWhere(f: MetricsFilter, alias: string): { sql: string; params: (string | number)[] } {
  const w = rollupWhere(f, `${alias}.`);
  return { sql: w.sql.split(' AND ').slice(1).join(' AND ') || '1 = 1', params: w.params.slice(1) };
}

export const rate = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
export const avg = (sum: number, n: number): number | null => (n > 0 ? Math.round(sum / n) : null);
