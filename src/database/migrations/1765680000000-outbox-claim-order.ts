import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end-of-call worker claims pending outbox rows `ORDER BY attempts, id` (rows it failed on go
 * last). With the index on (processed_at, id) that order was a sort of every pending row — their
 * traces included — on every batch of 4: while the worker lagged behind a load, each claim read the
 * whole backlog (quadratic; a third of the worker's CPU in the open-loop bench, docs/PERFORMANCE.md).
 * Keyed (processed_at, attempts, id), the claim reads its rows in order and stops after the batch.
 */
export class OutboxClaimOrder1765680000000 implements MigrationInterface {
  name = 'OutboxClaimOrder1765680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_call_outbox_pending"`);
    await q.query(`CREATE INDEX "idx_call_outbox_pending" ON "call_outbox" ("processed_at", "attempts", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_call_outbox_pending"`);
    await q.query(`CREATE INDEX "idx_call_outbox_pending" ON "call_outbox" ("processed_at", "id")`);
  }
}
