import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flow authoring: versions get a life cycle (draft → submitted → approved → published → retired)
 * and an author; which version is in force is a history of publications (time-based, so a call,
 * its recovery and its replay resolve the same version); every authoring act is audited.
 * Versions frozen before this migration were in force from when they were frozen: each gets a
 * `seed` publication at its created_at, so existing calls resolve exactly as before.
 */
export class FlowAuthoring1764144000000 implements MigrationInterface {
  name = 'FlowAuthoring1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "flow_versions" ADD COLUMN "status" text NOT NULL DEFAULT 'published'`);
    await q.query(`ALTER TABLE "flow_versions" ADD COLUMN "created_by" text NOT NULL DEFAULT 'system:files'`);
    await q.query(`ALTER TABLE "flow_versions" ADD COLUMN "based_on" integer`);
    await q.query(`ALTER TABLE "flow_versions" ADD COLUMN "updated_at" text`);
    await q.query(`UPDATE "flow_versions" SET "updated_at" = "created_at"`);
    await q.query(`CREATE TABLE "flow_publications" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "flow_id" text NOT NULL,
      "version" integer NOT NULL,
      "published_at" text NOT NULL,
      "published_by" text NOT NULL,
      "action" text NOT NULL)`);
    await q.query(`CREATE INDEX "idx_flow_publications_flow" ON "flow_publications" ("flow_id", "published_at")`);
    await q.query(`INSERT INTO "flow_publications" ("flow_id", "version", "published_at", "published_by", "action")
      SELECT "flow_id", "version", "created_at", 'system:files', 'seed' FROM "flow_versions" ORDER BY "created_at", "flow_id", "version"`);
    await q.query(`CREATE TABLE "flow_audit" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "flow_id" text NOT NULL,
      "version" integer,
      "action" text NOT NULL,
      "actor" text NOT NULL,
      "at" text NOT NULL,
      "detail" text NOT NULL DEFAULT '{}')`);
    await q.query(`CREATE INDEX "idx_flow_audit_flow" ON "flow_audit" ("flow_id", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "flow_audit"`);
    await q.query(`DROP TABLE "flow_publications"`);
    await q.query(`ALTER TABLE "flow_versions" DROP COLUMN "updated_at"`);
    await q.query(`ALTER TABLE "flow_versions" DROP COLUMN "based_on"`);
    await q.query(`ALTER TABLE "flow_versions" DROP COLUMN "created_by"`);
    await q.query(`ALTER TABLE "flow_versions" DROP COLUMN "status"`);
  }
}
