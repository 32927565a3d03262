import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Callbacks (docs/FOLLOW-UP.md): a `callback` work item follows up another item (`parent_id`), is
 * made as an outbound call on the flow chosen for it (`callback_flow_id`), for what the desk noted
 * (`callback_note`); `outbound_call_id` is the call that made it, whose end resolves it.
 */
export class WorkItemCallbacks1765650000000 implements MigrationInterface {
  name = 'WorkItemCallbacks1765650000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "work_items" ADD COLUMN "parent_id" integer`);
    await q.query(`ALTER TABLE "work_items" ADD COLUMN "callback_flow_id" text`);
    await q.query(`ALTER TABLE "work_items" ADD COLUMN "callback_note" text`);
    await q.query(`ALTER TABLE "work_items" ADD COLUMN "outbound_call_id" text`);
    await q.query(`CREATE INDEX "idx_work_items_outbound_call" ON "work_items" ("outbound_call_id")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_work_items_outbound_call"`);
    for (const column of ['outbound_call_id', 'callback_note', 'callback_flow_id', 'parent_id']) {
      await q.query(`ALTER TABLE "work_items" DROP COLUMN "${column}"`);
    }
  }
}
