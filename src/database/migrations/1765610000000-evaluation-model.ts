import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evaluation model (src/evaluation, docs/EVALUATION.md): need coverage kept in the flow rollups
 * (calls whose need was asked at ask-need, those where it matched a business), and the "other"
 * needs with the words the agent typed (the note is dropped when the call is erased).
 */
export class EvaluationModel1765610000000 implements MigrationInterface {
  name = 'EvaluationModel1765610000000';
  async up(q: QueryRunner): Promise<void> {
    for (const col of ['needs_asked', 'needs_matched']) await q.query(`ALTER TABLE "metric_rollup_flows" ADD COLUMN "${col}" integer NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE TABLE "metric_other_needs" ("call_id" text PRIMARY KEY NOT NULL, "day" text NOT NULL, "region" text NOT NULL, "agent_id" text NOT NULL, "note" text)`,
    );
    await q.query(`CREATE INDEX "idx_metric_other_needs_day" ON "metric_other_needs" ("day")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "metric_other_needs"`);
    for (const col of ['needs_asked', 'needs_matched']) await q.query(`ALTER TABLE "metric_rollup_flows" DROP COLUMN "${col}"`);
  }
}
