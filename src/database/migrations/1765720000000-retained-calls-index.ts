import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention sweep looked for ended calls not erased yet by walking `idx_calls_ended_at` from the
 * oldest call and joining `call_keys` to skip the erased ones: every run, and every batch of a run,
 * stepped over every call ever erased (200 ms of the main thread per batch at 300,000 erased calls,
 * growing by a day's calls each day once retention runs). `calls.erased_at` now mirrors
 * `call_keys.erased_at` (set in the transaction that shreds the call), and this index holds only
 * the ended calls not erased: the sweep reads its oldest entries and stops.
 *
 * No backfill: calls erased before this migration enter the index with a NULL `erased_at`; the next
 * sweeps pass them once (shredding an erased call changes nothing but this column, taken from its
 * key row), a bounded slice per run, and they leave it.
 */
export class RetainedCallsIndex1765720000000 implements MigrationInterface {
  name = 'RetainedCallsIndex1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "calls" ADD COLUMN "erased_at" text`);
    await q.query(`CREATE INDEX "idx_calls_retained" ON "calls" ("ended_at") WHERE "ended_at" IS NOT NULL AND "erased_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_calls_retained"`);
    await q.query(`ALTER TABLE "calls" DROP COLUMN "erased_at"`);
  }
}
