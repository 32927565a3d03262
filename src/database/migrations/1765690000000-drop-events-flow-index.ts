import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `idx_call_events_flow_after` (flow_id_after, flow_version_after) cost every logged event an index
 * entry — on SQLite a page of its own in most commits, ~10 of a commit's ~55 write-ahead log frames
 * in the open-loop bench (docs/PERFORMANCE.md) — and served no query well: QA's "this business
 * anywhere in the call" probes one call's events at a time, which the (call_id, seq) index answers in a
 * few rows, while SQLite, without statistics, chose this index and read every event of the flow for
 * each call searched (700 ms for 8,600 calls against 9 ms without it).
 */
export class DropEventsFlowIndex1765690000000 implements MigrationInterface {
  name = 'DropEventsFlowIndex1765690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_call_events_flow_after"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_call_events_flow_after" ON "call_events" ("flow_id_after", "flow_version_after")`);
  }
}
