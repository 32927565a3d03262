import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cti_events`: every telephony event accepted on `POST /api/cti/events` (docs/CTI.md), keyed by the
 * CTI system's event id — a second delivery of an id finds its row and is refused (replay
 * protection that survives restarts and is shared by every node) — with the laihua call it
 * concerns: `call.answered` links the CTI call id to the call it started, transfers are kept here.
 */
export class CtiEvents1765360800000 implements MigrationInterface {
  name = 'CtiEvents1765360800000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cti_events" (
      "event_id" text PRIMARY KEY NOT NULL,
      "type" text NOT NULL,
      "cti_call_id" text NOT NULL,
      "call_id" text,
      "agent" text,
      "received_at" text NOT NULL,
      "detail" text NOT NULL)`);
    await q.query(`CREATE INDEX "idx_cti_events_cti_call" ON "cti_events" ("cti_call_id", "received_at")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cti_events"`);
  }
}
