import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work items (src/work-items): what a call promised — a work order, a transfer to a desk, a manual
 * follow-up — tracked by the desk that owns it, with a due time from the service-level policy, and
 * the history of every change. `(call_id, source_seq)` is unique: the end-of-call work raises an item
 * from the call's logged event exactly once however often it runs.
 */
export class WorkItems1765600000000 implements MigrationInterface {
  name = 'WorkItems1765600000000';
  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? '"id" SERIAL PRIMARY KEY' : '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL';
    await q.query(`CREATE TABLE "work_items" (${id}, "type" text NOT NULL, "status" text NOT NULL, "priority" text NOT NULL,
      "call_id" text NOT NULL, "source_seq" integer NOT NULL, "flow_id" text, "step_id" text, "business" text,
      "caller_number" text NOT NULL, "customer_tier" text, "receipt_id" text, "desk" text NOT NULL, "assignee" text,
      "rule" text NOT NULL, "created_at" text NOT NULL, "due_at" text NOT NULL, "updated_at" text NOT NULL, "resolved_at" text)`);
    await q.query(`CREATE UNIQUE INDEX "uq_work_items_source" ON "work_items" ("call_id", "source_seq")`);
    await q.query(`CREATE INDEX "idx_work_items_desk" ON "work_items" ("desk", "status", "due_at")`);
    await q.query(`CREATE INDEX "idx_work_items_assignee" ON "work_items" ("assignee", "status")`);
    await q.query(`CREATE INDEX "idx_work_items_caller" ON "work_items" ("caller_number", "status")`);
    // The live floor's overdue read (still to do, past due) and the on-time report (by due day).
    await q.query(`CREATE INDEX "idx_work_items_status_due" ON "work_items" ("status", "due_at")`);
    await q.query(`CREATE INDEX "idx_work_items_due" ON "work_items" ("due_at")`);
    await q.query(`CREATE TABLE "work_item_history" (${id}, "item_id" integer NOT NULL, "at" text NOT NULL, "actor" text NOT NULL,
      "action" text NOT NULL, "from_status" text, "to_status" text NOT NULL, "note" text)`);
    await q.query(`CREATE INDEX "idx_work_item_history_item" ON "work_item_history" ("item_id")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "work_item_history"`);
    await q.query(`DROP TABLE "work_items"`);
  }
}
