import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end-of-call worker drops a row's trace when it processes it (src/end-of-call). Rows processed
 * before that kept theirs (~3 KB each, the caller's number and profile fields in clear); the retention
 * sweep drops them a bounded slice at a time (src/erasure/shred-calls.ts: dropProcessedTraces). This
 * index holds only such rows, so each slice reads its rows directly — and, once they are gone, the
 * sweep finds none without scanning the outbox. The worker's rows never enter it.
 */
export class KeptOutboxTraces1765710000000 implements MigrationInterface {
  name = 'KeptOutboxTraces1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_call_outbox_kept_traces" ON "call_outbox" ("id") WHERE "processed_at" IS NOT NULL AND "trace" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_call_outbox_kept_traces"`);
  }
}
