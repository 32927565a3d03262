import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SATISFACTION_ROLLUP_TABLE, satisfactionBackfill, satisfactionRollupDdl } from '../../metrics/satisfaction-rollups';

/**
 * Satisfaction rollups (src/metrics/satisfaction-rollups.ts, docs/SATISFACTION.md §3): the table,
 * filled from the replies already matched to calls whose facts are written — the same rows the
 * reply's and the facts' transactions add from now on.
 */
export class SatisfactionRollups1765670000000 implements MigrationInterface {
  name = 'SatisfactionRollups1765670000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    for (const ddl of satisfactionRollupDdl(pg)) await q.query(ddl);
    for (const statement of satisfactionBackfill(pg)) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${SATISFACTION_ROLLUP_TABLE}"`);
  }
}
