import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DIMENSIONS, GRAINS, MONTHLY, ROLLUP_TABLES, type RollupTable } from '../../metrics/rollup-schema';

/**
 * Month rollups beside the daily ones (same tables, grains `month`, `profile-month`, `agent-month`,
 * `day` = `YYYY-MM`), backfilled from the day rows: the sums add up, `agent_steps_min` is their
 * minimum, and `lane`/`marks` are fixed per step and flow version.
 */
export class MetricMonthRollups1764489600000 implements MigrationInterface {
  name = 'MetricMonthRollups1764489600000';

  async up(q: QueryRunner): Promise<void> {
    const grain = `CASE "grain" ${GRAINS.map((g) => `WHEN '${g}' THEN '${MONTHLY[g]}'`).join(' ')} END`;
    for (const [table, { keys, sums }] of Object.entries(ROLLUP_TABLES) as [RollupTable, (typeof ROLLUP_TABLES)[RollupTable]][]) {
      const group = [...DIMENSIONS.filter((d) => d !== 'day'), ...keys].map((c) => `"${c}"`);
      const extra: [string, string][] =
        table === 'metric_rollup_steps'
          ? [
              ['lane', 'MAX("lane")'],
              ['marks', 'MAX("marks")'],
            ]
          : table === 'metric_rollup_flows'
            ? [['agent_steps_min', 'MIN("agent_steps_min")']]
            : [];
      const cols = ['grain', 'day', ...group.map((c) => c.slice(1, -1)), ...extra.map(([c]) => c), ...sums];
      await q.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')})
        SELECT ${grain}, substr("day", 1, 7), ${group.join(', ')}, ${[...extra.map(([, e]) => e), ...sums.map((c) => `SUM("${c}")`)].join(', ')}
        FROM "${table}" WHERE "grain" IN (${GRAINS.map((g) => `'${g}'`).join(', ')})
        GROUP BY "grain", substr("day", 1, 7), ${group.join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(ROLLUP_TABLES))
      await q.query(
        `DELETE FROM "${table}" WHERE "grain" IN (${Object.values(MONTHLY)
          .map((g) => `'${g}'`)
          .join(', ')})`,
      );
  }
}
