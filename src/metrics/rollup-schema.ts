import { histogramColumns } from './histogram';

/**
 * Rollups are kept at three grains so a dashboard reads the smallest table that can answer its
 * filters. Rolled-away dimensions hold '*'.
 *  - `day`:     day × flow × version
 *  - `profile`: day × flow × version × region × brand × tier
 *  - `agent`:   day × flow × version × region × agent × brand × tier
 * Each grain is kept twice: per UTC day and per calendar month (grain `MONTHLY[g]`, the `day` column
 * holding `YYYY-MM`). Day rows of a year with many profiles hardly shrink below the facts; month rows
 * are ~30× fewer, so whole months of a date range are read from them and only the partial edge
 * months from the day rows.
 */
export const GRAINS = ['day', 'profile', 'agent'] as const;
export type Grain = (typeof GRAINS)[number];
export const MONTHLY = { day: 'month', profile: 'profile-month', agent: 'agent-month' } as const satisfies Record<Grain, string>;
export type MonthlyGrain = (typeof MONTHLY)[Grain];
/** `YYYY-MM` of a `YYYY-MM-DD` day: the `day` value of a month row. */
export const monthOf = (day: string) => day.slice(0, 7);
export const DIMENSIONS = ['day', 'flow_id', 'flow_version', 'region', 'agent_id', 'brand', 'tier'] as const;
export const KEPT: Record<Grain, readonly string[]> = {
  day: ['day', 'flow_id', 'flow_version'],
  profile: ['day', 'flow_id', 'flow_version', 'region', 'brand', 'tier'],
  agent: DIMENSIONS,
};

/** FCR: a successful segment's next call about the same business, by whole days after it (1 … 30). */
export const MAX_FCR_DAYS = 30;
export const REPEAT_COLUMNS = Array.from({ length: MAX_FCR_DAYS }, (_, i) => `repeat_d${i + 1}`);

export const CALL_HIST = histogramColumns('h');
export const VISIT_HIST = histogramColumns('v');

export const FLOW_SUMS = [
  'calls',
  'call_ms',
  'call_wait_ms',
  'call_agent_ms',
  'lane_customer_ms',
  'lane_frontstage_ms',
  'lane_backstage_ms',
  'lane_support_ms',
  'segments',
  'successes',
  'abandoned',
  'agent_steps',
  'over_target',
  'eligible',
  'presented',
  'accepted',
  ...REPEAT_COLUMNS,
  ...CALL_HIST,
  // Added by migration 1765610000000 (evaluation model).
  'needs_asked',
  'needs_matched',
];
/** No separate wait histogram: a step either invokes the back end (all its visits are waits) or not (none are). */
export const STEP_SUMS = ['visits', 'ms', 'waits', 'wait_ms', 'failures', 'drop_offs', ...VISIT_HIST];
export const OFFER_SUMS = ['eligible', 'presented', 'accepted'];
export const CAUSE_SUMS = ['count'];

export const ROLLUP_TABLES = {
  metric_rollup_flows: { keys: [] as string[], sums: FLOW_SUMS },
  metric_rollup_steps: { keys: ['step_id'], sums: STEP_SUMS },
  metric_rollup_causes: { keys: ['step_id', 'cause'], sums: CAUSE_SUMS },
  /** offer_id '' = the M point as a whole (eligible = visits with offers shown). */
  metric_rollup_offers: { keys: ['step_id', 'offer_id'], sums: OFFER_SUMS },
} as const;
export type RollupTable = keyof typeof ROLLUP_TABLES;

export function rollupDdl(table: RollupTable): string[] {
  const { keys, sums } = ROLLUP_TABLES[table];
  const pk = ['grain', ...DIMENSIONS, ...keys];
  const extra =
    table === 'metric_rollup_steps' ? ['"lane" text NOT NULL', '"marks" text NOT NULL'] : table === 'metric_rollup_flows' ? ['"agent_steps_min" integer'] : [];
  const cols = [
    ...pk.map((c) => `"${c}" ${c === 'flow_version' ? 'integer' : 'text'} NOT NULL`),
    ...extra,
    ...sums.map((c) => `"${c}" integer NOT NULL DEFAULT 0`),
  ];
  return [
    `CREATE TABLE "${table}" (${cols.join(', ')}, PRIMARY KEY (${pk.map((c) => `"${c}"`).join(', ')})) WITHOUT ROWID`,
    `CREATE INDEX "idx_${table}_agent" ON "${table}" ("grain", "agent_id", "day")`,
    `CREATE INDEX "idx_${table}_flow" ON "${table}" ("grain", "flow_id", "flow_version", "day")`,
  ];
}
