import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only: a new `matrix_versions` row (a node started with a newer marketing matrix file)
 * notifies channel `laihua_flows` as a publication does, so every node reads it at once
 * (src/flows/flow-sync.service.ts → FlowCatalog.catchUp). SQLite: one process per file.
 */
export class MatrixNotify1765180800000 implements MigrationInterface {
  name = 'MatrixNotify1765180800000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE FUNCTION laihua_notify_matrix() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('laihua_flows', 'matrix:' || NEW.version); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER matrix_versions_notify AFTER INSERT ON "matrix_versions" FOR EACH ROW EXECUTE FUNCTION laihua_notify_matrix()`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TRIGGER matrix_versions_notify ON "matrix_versions"`);
    await q.query(`DROP FUNCTION laihua_notify_matrix()`);
  }
}
