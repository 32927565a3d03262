import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `idx_calls_ended_at` held every call, the live ones under NULL: each call's first event inserted
 * its NULL entry and its last event deleted it again — on SQLite two more pages in most commits of
 * the log (~3.3 of ~56 write-ahead log frames per commit in the open-loop bench, docs/PERFORMANCE.md).
 * Every query on the column asks for ended calls (retention's erasure, survey replies matched to
 * their call), so the index now holds only those: a call enters it once, when it ends, at its newest
 * page. SQLite and PostgreSQL both use a partial index for a query whose terms imply its condition
 * (a comparison on `ended_at` does).
 */
export class EndedCallsIndex1765700000000 implements MigrationInterface {
  name = 'EndedCallsIndex1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_calls_ended_at"`);
    await q.query(`CREATE INDEX "idx_calls_ended_at" ON "calls" ("ended_at") WHERE "ended_at" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_calls_ended_at"`);
    await q.query(`CREATE INDEX "idx_calls_ended_at" ON "calls" ("ended_at")`);
  }
}
