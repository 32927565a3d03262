import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only (SQLite is one process per file): several nodes on one database.
 * - `lease_tokens`: node incarnations and call lease tokens, one sequence, so a token only grows.
 * - `cluster_nodes`: one row per running node process (incarnation), its lease renewed by heartbeat;
 *   `lost_at` is set when the lease ran out and another node took its calls (src/cluster).
 * - `calls.owner_node / owner_incarnation / lease_token`: the one node driving a live call and the
 *   fencing token every append of that node checks. Raw SQL only (not in the entity).
 * - `login_failures.scope` also takes `verify` (identity checks per subscriber, across calls).
 * - `floor_shares`: each node's part of the live floor (its calls, agents online, back-end outcomes),
 *   rewritten every heartbeat; UNLOGGED (no WAL: it is rebuilt within a second after a crash).
 */
export class Cluster1765008000000 implements MigrationInterface {
  name = 'Cluster1765008000000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE SEQUENCE "lease_tokens" AS bigint`);
    await q.query(`CREATE TABLE "cluster_nodes" (
      "incarnation" bigint PRIMARY KEY,
      "node_id" text NOT NULL,
      "started_at" timestamptz NOT NULL DEFAULT now(),
      "heartbeat_at" timestamptz NOT NULL DEFAULT now(),
      "expires_at" timestamptz NOT NULL,
      "lost_at" timestamptz NULL)`);
    await q.query(`CREATE INDEX "cluster_nodes_live" ON "cluster_nodes" ("expires_at") WHERE "lost_at" IS NULL`);
    await q.query(`ALTER TABLE "calls" ADD COLUMN "owner_node" text NULL, ADD COLUMN "owner_incarnation" bigint NULL, ADD COLUMN "lease_token" bigint NULL`);
    await q.query(`CREATE INDEX "calls_active_owner" ON "calls" ("owner_incarnation") WHERE "status" = 'active'`);
    await q.query(`CREATE UNLOGGED TABLE "floor_shares" ("node_id" text PRIMARY KEY, "at" timestamptz NOT NULL, "share" text NOT NULL)`);
    // Identity checks per subscriber across calls (src/calls/verification-locks.ts) share the failure windows.
    await q.query(`ALTER TABLE "login_failures" DROP CONSTRAINT "login_failures_scope_check"`);
    await q.query(`ALTER TABLE "login_failures" ADD CONSTRAINT "login_failures_scope_check" CHECK ("scope" IN ('user', 'ip', 'verify'))`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DELETE FROM "login_failures" WHERE "scope" = 'verify'`);
    await q.query(`ALTER TABLE "login_failures" DROP CONSTRAINT "login_failures_scope_check"`);
    await q.query(`ALTER TABLE "login_failures" ADD CONSTRAINT "login_failures_scope_check" CHECK ("scope" IN ('user', 'ip'))`);
    await q.query(`DROP TABLE "floor_shares"`);
    await q.query(`DROP INDEX "calls_active_owner"`);
    await q.query(`ALTER TABLE "calls" DROP COLUMN "owner_node", DROP COLUMN "owner_incarnation", DROP COLUMN "lease_token"`);
    await q.query(`DROP TABLE "cluster_nodes"`);
    await q.query(`DROP SEQUENCE "lease_tokens"`);
  }
}
