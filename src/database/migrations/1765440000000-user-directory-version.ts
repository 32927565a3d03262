import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `user_directory_version`: one row whose `n` every change to `users` (by laihua or by hand) moves on,
 * through triggers. Each process keeps the users it checks sessions against in memory (a session is
 * re-checked on every WebSocket frame) and re-reads them only when `n` has moved: one row read a
 * second instead of a lookup per frame or a full reload per refresh.
 */
export class UserDirectoryVersion1765440000000 implements MigrationInterface {
  name = 'UserDirectoryVersion1765440000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "user_directory_version" ("id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1), "n" bigint NOT NULL)`);
    await q.query(`INSERT INTO "user_directory_version" ("id", "n") VALUES (1, 0)`);
    if (q.connection.options.type === 'postgres') {
      await q.query(`CREATE FUNCTION user_directory_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE "user_directory_version" SET "n" = "n" + 1 WHERE "id" = 1; RETURN NULL; END $$`);
      await q.query(
        `CREATE TRIGGER "trg_users_directory" AFTER INSERT OR UPDATE OR DELETE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION user_directory_moved()`,
      );
      return;
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await q.query(
        `CREATE TRIGGER "trg_users_directory_${event.toLowerCase()}" AFTER ${event} ON "users" BEGIN UPDATE "user_directory_version" SET "n" = "n" + 1 WHERE "id" = 1; END`,
      );
    }
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query(`DROP TRIGGER "trg_users_directory" ON "users"`);
      await q.query(`DROP FUNCTION user_directory_moved()`);
    } else {
      for (const event of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER "trg_users_directory_${event}"`);
    }
    await q.query(`DROP TABLE "user_directory_version"`);
  }
}
