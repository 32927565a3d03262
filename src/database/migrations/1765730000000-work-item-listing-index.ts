import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A work-item listing with `done=true` (every item ever, not only those still to do) was ordered
 * overdue first, then high priority, then by due time: every item of the scope went through a
 * temporary B-tree to answer the first 200 — a supervisor's team view sorted the whole table (82 ms
 * of the main thread at 300,000 items, growing with every item raised). The listing now reads the
 * overdue items (still to do, a bounded backlog: `idx_work_items_status_due`) apart from the rest,
 * and the rest in the order of these indexes — the priority rank (the listing's expression, exactly),
 * due time and id; per desk for a desk's view, per assignee for one's own — stopping at the 200th.
 */
export class WorkItemListingIndex1765730000000 implements MigrationInterface {
  name = 'WorkItemListingIndex1765730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_work_items_listing" ON "work_items" ((CASE WHEN "priority" = 'high' THEN 0 ELSE 1 END), "due_at", "id")`);
    await q.query(`CREATE INDEX "idx_work_items_desk_listing" ON "work_items" ("desk", (CASE WHEN "priority" = 'high' THEN 0 ELSE 1 END), "due_at", "id")`);
    await q.query(
      `CREATE INDEX "idx_work_items_assignee_listing" ON "work_items" ("assignee", (CASE WHEN "priority" = 'high' THEN 0 ELSE 1 END), "due_at", "id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_work_items_assignee_listing"`);
    await q.query(`DROP INDEX "idx_work_items_desk_listing"`);
    await q.query(`DROP INDEX "idx_work_items_listing"`);
  }
}
