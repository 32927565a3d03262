import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763884800000 implements MigrationInterface {
  name = 'InitialSchema1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "users" (
      "id" text PRIMARY KEY NOT NULL,
      "username" text NOT NULL UNIQUE,
      "password_hash" text NOT NULL,
      "role" text NOT NULL CHECK ("role" IN ('agent','supervisor','qa')),
      "created_at" text NOT NULL)`);
    await q.query(`CREATE TABLE "flow_versions" (
      "flow_id" text NOT NULL,
      "version" integer NOT NULL,
      "hash" text NOT NULL,
      "definition" text NOT NULL,
      "source" text NOT NULL,
      "created_at" text NOT NULL,
      PRIMARY KEY ("flow_id", "version"))`);
    await q.query(`CREATE TABLE "calls" (
      "id" text PRIMARY KEY NOT NULL,
      "flow_id" text NOT NULL,
      "flow_version" integer NOT NULL,
      "agent_id" text NOT NULL,
      "caller_number" text NOT NULL,
      "status" text NOT NULL CHECK ("status" IN ('active','completed','abandoned')),
      "outcome" text,
      "outcome_detail" text,
      "state" text NOT NULL,
      "seq" integer NOT NULL,
      "started_at" text NOT NULL,
      "updated_at" text NOT NULL,
      "ended_at" text)`);
    await q.query(`CREATE INDEX "idx_calls_status" ON "calls" ("status")`);
    await q.query(`CREATE INDEX "idx_calls_agent" ON "calls" ("agent_id", "started_at")`);
    await q.query(`CREATE TABLE "call_events" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "call_id" text NOT NULL REFERENCES "calls" ("id"),
      "seq" integer NOT NULL,
      "type" text NOT NULL,
      "payload" text NOT NULL,
      "agent_id" text NOT NULL,
      "flow_id" text NOT NULL,
      "flow_version" integer NOT NULL,
      "state_before" text,
      "state_after" text NOT NULL,
      "at" text NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "uq_call_events_call_seq" ON "call_events" ("call_id", "seq")`);
    // The decision log is append-only: the database itself refuses edits and deletes.
    await q.query(`CREATE TRIGGER "call_events_no_update" BEFORE UPDATE ON "call_events"
      BEGIN SELECT RAISE(ABORT, 'call_events is append-only'); END`);
    await q.query(`CREATE TRIGGER "call_events_no_delete" BEFORE DELETE ON "call_events"
      BEGIN SELECT RAISE(ABORT, 'call_events is append-only'); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "call_events"`);
    await q.query(`DROP TABLE "calls"`);
    await q.query(`DROP TABLE "flow_versions"`);
    await q.query(`DROP TABLE "users"`);
  }
}
