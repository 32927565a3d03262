import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end-of-call outbox: one row per ended call, inserted in the same transaction as the call's
 * last event (the decision log's commit), taken by the end-of-call worker, which writes the call's
 * QA checks and metrics and sets `processed_at` in one transaction. `trace` is the compact trace
 * the step code carried while the call ran (JSON); NULL for calls that ended before this migration,
 * which are queued here when they lack QA results or metrics, and traced from the log at boot.
 * Runs on SQLite and PostgreSQL (the id column differs).
 */
export class CallOutbox1764748800000 implements MigrationInterface {
  name = 'CallOutbox1764748800000';

  async up(q: QueryRunner): Promise<void> {
    const postgres = q.connection.options.type === 'postgres';
    const id = postgres ? `"id" bigserial PRIMARY KEY` : `"id" integer PRIMARY KEY AUTOINCREMENT`;
    await q.query(`CREATE TABLE "call_outbox" (
      ${id},
      "call_id" text NOT NULL UNIQUE,
      "trace" text,
      "created_at" text NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text,
      "processed_at" text)`);
    // The worker's claim and the health backlog read only pending rows, oldest first.
    await q.query(`CREATE INDEX "idx_call_outbox_pending" ON "call_outbox" ("processed_at", "id")`);
    await q.query(`INSERT INTO "call_outbox" ("call_id", "trace", "created_at")
      SELECT c."id", NULL, COALESCE(c."ended_at", c."updated_at") FROM "calls" c
      WHERE c."status" != 'active'
        AND (NOT EXISTS (SELECT 1 FROM "metric_calls" m WHERE m."call_id" = c."id")
          OR NOT EXISTS (SELECT 1 FROM "call_check_results" r WHERE r."call_id" = c."id"))
      ORDER BY c."started_at"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_call_outbox_pending"`);
    await q.query(`DROP TABLE "call_outbox"`);
  }
}
