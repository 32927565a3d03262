import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copy of the rollup schema in metrics/rollup-schema.ts as this migration created it, so
// changing the live code never rewrites an applied migration (a later change needs a new migration).
export const DIMENSIONS = ['day', 'flow_id', 'flow_version', 'region', 'agent_id', 'brand', 'tier'] as const;
const REPEAT_COLUMNS = Array.from({ length: 30 }, (_, i) => `repeat_d${i + 1}`);
const histogram = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}`);
const FLOW_SUMS = [
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
  ...histogram('h'),
];
const STEP_SUMS = ['visits', 'ms', 'waits', 'wait_ms', 'failures', 'drop_offs', ...histogram('v')];
export const ROLLUP_TABLES = {
  metric_rollup_flows: { keys: [] as string[], sums: FLOW_SUMS },
  metric_rollup_steps: { keys: ['step_id'], sums: STEP_SUMS },
  metric_rollup_causes: { keys: ['step_id', 'cause'], sums: ['count'] },
  metric_rollup_offers: { keys: ['step_id', 'offer_id'], sums: ['eligible', 'presented', 'accepted'] },
} as const;
export type RollupTable = keyof typeof ROLLUP_TABLES;

// PostgreSQL (added with the PostgreSQL store): no WITHOUT ROWID, and summed columns are bigint
// (a day's milliseconds summed over a busy flow passes 2^31; SQLite's integer is 8 bytes already).
function rollupDdl(table: RollupTable, pg = false): string[] {
  const { keys, sums } = ROLLUP_TABLES[table];
  const pk = ['grain', ...DIMENSIONS, ...keys];
  const extra =
    table === 'metric_rollup_steps' ? ['"lane" text NOT NULL', '"marks" text NOT NULL'] : table === 'metric_rollup_flows' ? ['"agent_steps_min" integer'] : [];
  const cols = [
    ...pk.map((c) => `"${c}" ${c === 'flow_version' ? 'integer' : 'text'} NOT NULL`),
    ...extra,
    ...sums.map((c) => `"${c}" ${pg ? 'bigint' : 'integer'} NOT NULL DEFAULT 0`),
  ];
  return [
    `CREATE TABLE "${table}" (${cols.join(', ')}, PRIMARY KEY (${pk.map((c) => `"${c}"`).join(', ')}))${pg ? '' : ' WITHOUT ROWID'}`,
    `CREATE INDEX "idx_${table}_agent" ON "${table}" ("grain", "agent_id", "day")`,
    `CREATE INDEX "idx_${table}_flow" ON "${table}" ("grain", "flow_id", "flow_version", "day")`,
  ];
}

/** Operations metrics: facts per ended call (call, business segment, step visit, offer) and daily rollups at three grains. */
export class Metrics1764403200000 implements MigrationInterface {
  name = 'Metrics1764403200000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const withoutRowid = pg ? '' : ' WITHOUT ROWID';
    // PostgreSQL: 8-byte integers like SQLite's (a repeat gap in ms passes 2^31 after 25 days).
    const int = pg ? 'bigint' : 'integer';
    const dims = `"day" text NOT NULL, "started_at" text NOT NULL, "caller_number" text NOT NULL, "agent_id" text NOT NULL,
      "region" text NOT NULL, "brand" text NOT NULL, "tier" text NOT NULL`;
    await q.query(`CREATE TABLE "metric_calls" ("call_id" text PRIMARY KEY NOT NULL, ${dims},
      "flow_id" text NOT NULL, "flow_version" ${int} NOT NULL, "status" text NOT NULL, "outcome" text,
      "duration_ms" ${int} NOT NULL, "wait_ms" ${int} NOT NULL, "agent_ms" ${int} NOT NULL, "lane_ms" text NOT NULL)`);
    await q.query(`CREATE TABLE "metric_segments" ("call_id" text NOT NULL, "segment" ${int} NOT NULL, ${dims},
      "flow_id" text NOT NULL, "flow_version" ${int} NOT NULL, "kind" text NOT NULL, "outcome" text NOT NULL, "success" boolean NOT NULL,
      "duration_ms" ${int} NOT NULL, "wait_ms" ${int} NOT NULL, "agent_ms" ${int} NOT NULL, "agent_steps" ${int} NOT NULL,
      "eligible" ${int} NOT NULL, "presented" ${int} NOT NULL, "accepted" ${int} NOT NULL,
      "repeat_gap_ms" ${int}, PRIMARY KEY ("call_id", "segment"))`);
    await q.query(`CREATE INDEX "idx_metric_segments_repeat" ON "metric_segments" ("caller_number", "flow_id", "started_at")`);
    await q.query(`CREATE TABLE "metric_step_visits" ("call_id" text NOT NULL, "visit" ${int} NOT NULL, "segment" ${int} NOT NULL,
      "flow_id" text NOT NULL, "flow_version" ${int} NOT NULL, "step_id" text NOT NULL, "lane" text NOT NULL, "marks" text NOT NULL,
      "duration_ms" ${int} NOT NULL, "wait" boolean NOT NULL, "failure_cause" text, "drop_off" boolean NOT NULL,
      PRIMARY KEY ("call_id", "visit"))${withoutRowid}`);
    await q.query(`CREATE TABLE "metric_offers" ("call_id" text NOT NULL, "n" ${int} NOT NULL, "segment" ${int} NOT NULL,
      "flow_id" text NOT NULL, "flow_version" ${int} NOT NULL, "step_id" text NOT NULL, "offer_id" text NOT NULL,
      "presented" boolean NOT NULL, "accepted" boolean NOT NULL, PRIMARY KEY ("call_id", "n"))${withoutRowid}`);
    for (const table of Object.keys(ROLLUP_TABLES) as RollupTable[]) for (const sql of rollupDdl(table, pg)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(ROLLUP_TABLES)) await q.query(`DROP TABLE "${table}"`);
    for (const table of ['metric_offers', 'metric_step_visits', 'metric_segments', 'metric_calls']) await q.query(`DROP TABLE "${table}"`);
  }
}
