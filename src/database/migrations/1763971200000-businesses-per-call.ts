import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A call can move between businesses: each event and each call records the flow it is in after. */
export class BusinessesPerCall1763971200000 implements MigrationInterface {
  name = 'BusinessesPerCall1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "call_events" ADD COLUMN "flow_id_after" text`);
    await q.query(`ALTER TABLE "call_events" ADD COLUMN "flow_version_after" integer`);
    await q.query(`ALTER TABLE "calls" ADD COLUMN "current_flow_id" text`);
    await q.query(`ALTER TABLE "calls" ADD COLUMN "current_flow_version" integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "calls" DROP COLUMN "current_flow_version"`);
    await q.query(`ALTER TABLE "calls" DROP COLUMN "current_flow_id"`);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "flow_version_after"`);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "flow_id_after"`);
  }
}
