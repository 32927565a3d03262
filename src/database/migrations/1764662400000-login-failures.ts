import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only (SQLite: nothing — one process owns the file, and its login throttling counts in
 * memory): failed-login windows per username and per client address, in the database so that every
 * process on it counts the same failures (src/auth/pg-login-throttle.ts).
 */
export class LoginFailures1764662400000 implements MigrationInterface {
  name = 'LoginFailures1764662400000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE TABLE "login_failures" (
      "scope" text NOT NULL CHECK ("scope" IN ('user', 'ip')),
      "key" text NOT NULL,
      "failures" integer NOT NULL,
      "resets_at" bigint NOT NULL,
      PRIMARY KEY ("scope", "key"))`);
    await q.query(`CREATE INDEX "idx_login_failures_resets" ON "login_failures" ("resets_at")`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TABLE "login_failures"`);
  }
}
