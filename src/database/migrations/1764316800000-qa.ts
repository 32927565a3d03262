import type { MigrationInterface, QueryRunner } from 'typeorm';

/** QA: automatic check results per call (searchable), scorecards and every revision of them. */
export class Qa1764316800000 implements MigrationInterface {
  name = 'Qa1764316800000';

  async up(q: QueryRunner): Promise<void> {
    // PostgreSQL (added with the PostgreSQL store): its `real` is 4 bytes; SQLite's REAL is 8.
    const real = q.connection.options.type === 'postgres' ? 'double precision' : 'real';
    await q.query(`CREATE TABLE "call_check_results" (
      "call_id" text NOT NULL,
      "check_id" text NOT NULL,
      "applicable" boolean NOT NULL,
      "passed" boolean NOT NULL,
      "findings" text NOT NULL,
      "checked_at" text NOT NULL,
      PRIMARY KEY ("call_id", "check_id"))`);
    await q.query(`CREATE INDEX "idx_call_check_results_failed" ON "call_check_results" ("check_id", "passed")`);
    await q.query(`CREATE TABLE "scorecards" (
      "id" text PRIMARY KEY NOT NULL,
      "call_id" text NOT NULL,
      "agent_id" text NOT NULL,
      "reviewer" text NOT NULL,
      "form_version" integer NOT NULL,
      "marks" text NOT NULL,
      "score" text NOT NULL,
      "total" ${real} NOT NULL,
      "comment" text,
      "revision" integer NOT NULL,
      "created_at" text NOT NULL,
      "updated_at" text NOT NULL)`);
    await q.query(`CREATE INDEX "idx_scorecards_call" ON "scorecards" ("call_id")`);
    await q.query(`CREATE INDEX "idx_scorecards_agent" ON "scorecards" ("agent_id")`);
    await q.query(`CREATE TABLE "scorecard_revisions" (
      "scorecard_id" text NOT NULL,
      "revision" integer NOT NULL,
      "reviewer" text NOT NULL,
      "at" text NOT NULL,
      "content" text NOT NULL,
      PRIMARY KEY ("scorecard_id", "revision"))`);
    await q.query(`CREATE INDEX "idx_call_events_flow_after" ON "call_events" ("flow_id_after", "flow_version_after")`);
    await q.query(`CREATE INDEX "idx_calls_started" ON "calls" ("started_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_calls_started"`);
    await q.query(`DROP INDEX "idx_call_events_flow_after"`);
    await q.query(`DROP TABLE "scorecard_revisions"`);
    await q.query(`DROP TABLE "scorecards"`);
    await q.query(`DROP TABLE "call_check_results"`);
  }
}
