import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only (SQLite: DATA_DIR/jwt-secret, one process per file): secrets every node on the
 * database must share when they are not configured — the JWT signing key, generated once by the
 * first node to start, so a token from any node is accepted by every node (src/auth/jwt-secret.ts).
 */
export class SharedSecrets1764921600000 implements MigrationInterface {
  name = 'SharedSecrets1764921600000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE TABLE "shared_secrets" ("name" text PRIMARY KEY, "value" text NOT NULL, "created_at" timestamptz NOT NULL DEFAULT now())`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TABLE "shared_secrets"`);
  }
}
