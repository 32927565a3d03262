import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only (several nodes): `frame_usage_shares`, each node's WebSocket frames accepted and
 * connections held per user, rewritten every heartbeat, so that a user's frame budget and connection
 * cap count across nodes; UNLOGGED (no WAL: rebuilt within a heartbeat after a crash).
 */
export class FrameUsageShares1765094400000 implements MigrationInterface {
  name = 'FrameUsageShares1765094400000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE UNLOGGED TABLE "frame_usage_shares" ("node_id" text PRIMARY KEY, "at" timestamptz NOT NULL, "usage" text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TABLE "frame_usage_shares"`);
  }
}
