import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training (src/training): a trainee's simulated calls, one row per call, kept apart from the
 * operations (the calls themselves are in the decision log, marked on `call.started`): the scenario
 * drawn, the business, and once the call ended its score, whether it passed and the detail.
 */
export class Training1765640000000 implements MigrationInterface {
  name = 'Training1765640000000';
  async up(q: QueryRunner): Promise<void> {
    const real = q.connection.options.type === 'postgres' ? 'double precision' : 'real';
    await q.query(`CREATE TABLE "training_calls" ("call_id" text PRIMARY KEY NOT NULL, "trainee_id" text NOT NULL, "flow_id" text NOT NULL,
      "scenario_id" text NOT NULL, "started_at" text NOT NULL, "ended_at" text, "score" ${real}, "passed" boolean, "detail" text)`);
    await q.query(`CREATE INDEX "idx_training_calls_trainee" ON "training_calls" ("trainee_id", "flow_id")`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "training_calls"`);
  }
}
