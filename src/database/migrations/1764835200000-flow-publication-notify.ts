import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only (SQLite: one process per file, nothing to tell): every new `flow_publications`
 * row notifies channel `laihua_flows` (payload: the flow id) when its transaction commits, so every
 * node on the database brings the publication into force at once (src/flows/flow-sync.service.ts).
 */
export class FlowPublicationNotify1764835200000 implements MigrationInterface {
  name = 'FlowPublicationNotify1764835200000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE FUNCTION laihua_notify_publication() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('laihua_flows', NEW.flow_id); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER flow_publications_notify AFTER INSERT ON "flow_publications"
      FOR EACH ROW EXECUTE FUNCTION laihua_notify_publication()`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TRIGGER flow_publications_notify ON "flow_publications"`);
    await q.query(`DROP FUNCTION laihua_notify_publication()`);
  }
}
