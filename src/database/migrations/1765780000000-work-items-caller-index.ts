import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The screen pop (`GET /api/customers/:msisdn`, on the agents' thread) lists a number's work items
 * still to do and those finished in the first-contact window. By `idx_work_items_caller` (number,
 * status) the finished part read every item the number was ever raised — 89–113 ms for a number with
 * 50,000 (an auto-dialler's, a switchboard's), at each of its calls. With the update time in the
 * index it reads only the items finished in the window: 0.64–0.75 ms (bench/work-items-hot-number.cjs).
 * The new index serves every lookup the old one did (its first two columns), so it replaces it.
 */
export class WorkItemsCallerIndex1765780000000 implements MigrationInterface {
  name = 'WorkItemsCallerIndex1765780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_work_items_caller_updated" ON "work_items" ("caller_number", "status", "updated_at")`);
    await q.query(`DROP INDEX "idx_work_items_caller"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_work_items_caller" ON "work_items" ("caller_number", "status")`);
    await q.query(`DROP INDEX "idx_work_items_caller_updated"`);
  }
}
