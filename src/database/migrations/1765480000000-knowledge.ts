import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge articles (versioned, maker–checker), their audit, the search log, and `search_docs`: what
 * the agent screen's search box searches (published articles, businesses, scenarios) in the store's
 * own full-text index — SQLite FTS5 with the trigram tokenizer (Chinese needs no word breaks), or a
 * PostgreSQL table with a pg_trgm GIN index (serves LIKE/ILIKE '%…%').
 */
export class Knowledge1765480000000 implements MigrationInterface {
  name = 'Knowledge1765480000000';
  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = pg ? '"id" SERIAL PRIMARY KEY' : '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL';
    await q.query(`CREATE TABLE "knowledge_articles" (${id}, "article_id" text NOT NULL, "version" integer NOT NULL, "status" text NOT NULL,
      "title" text NOT NULL, "body" text NOT NULL, "tags" text NOT NULL, "steps" text NOT NULL, "regions" text NOT NULL,
      "valid_from" text, "valid_to" text, "created_by" text NOT NULL, "created_at" text NOT NULL, "approved_by" text)`);
    await q.query(`CREATE UNIQUE INDEX "uq_knowledge_articles_version" ON "knowledge_articles" ("article_id", "version")`);
    await q.query(`CREATE INDEX "idx_knowledge_articles_status" ON "knowledge_articles" ("status")`);
    await q.query(`CREATE TABLE "knowledge_audit" (${id}, "article_id" text NOT NULL, "version" integer NOT NULL, "action" text NOT NULL,
      "actor" text NOT NULL, "at" text NOT NULL, "detail" text NOT NULL DEFAULT '{}')`);
    await q.query(`CREATE INDEX "idx_knowledge_audit_article" ON "knowledge_audit" ("article_id", "version")`);
    await q.query(`CREATE TABLE "search_log" (${id}, "at" text NOT NULL, "actor" text NOT NULL, "call_id" text, "query" text NOT NULL,
      "hits" text NOT NULL, "picked_ref" text, "picked_rank" integer, "picked_at" text)`);
    if (pg) {
      await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
      await q.query(`CREATE TABLE "search_docs" ("kind" text NOT NULL, "ref" text NOT NULL, "locale" text NOT NULL, "title" text NOT NULL,
        "body" text NOT NULL, "text" text NOT NULL, PRIMARY KEY ("kind", "ref", "locale"))`);
      await q.query(`CREATE INDEX "idx_search_docs_trgm" ON "search_docs" USING gin ("text" gin_trgm_ops)`);
    } else {
      await q.query(`CREATE VIRTUAL TABLE "search_docs" USING fts5("kind" UNINDEXED, "ref" UNINDEXED, "locale" UNINDEXED, "title" UNINDEXED,
        "body" UNINDEXED, "text", tokenize = 'trigram')`);
    }
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "search_docs"`);
    await q.query(`DROP TABLE "search_log"`);
    await q.query(`DROP TABLE "knowledge_audit"`);
    await q.query(`DROP TABLE "knowledge_articles"`);
  }
}
