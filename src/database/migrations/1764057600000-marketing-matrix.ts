import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MarketingMatrix1764057600000 implements MigrationInterface {
  name = 'MarketingMatrix1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "matrix_versions" (
      "version" integer PRIMARY KEY NOT NULL,
      "hash" text NOT NULL,
      "definition" text NOT NULL,
      "created_at" text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "matrix_versions"`);
  }
}
