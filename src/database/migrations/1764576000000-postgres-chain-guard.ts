import type { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS = '0'.repeat(64);

/**
 * PostgreSQL only (SQLite: nothing): the database itself keeps each call's chain. An event is
 * accepted only as the next link of its call — seq 1 with the genesis prev_hash for a call's first
 * event, otherwise seq = last seq + 1 and prev_hash = the last event's hash — with a sha256-shaped
 * hash. With the append-only triggers of the initial schema, no statement can insert a forged or
 * out-of-order link, nor edit, delete or truncate one. (The hash's content is verified by
 * verifyChain on read: canonical JSON is computed by the application.) Two writers racing on one
 * call both read the same last link; the unique (call_id, seq) index refuses the second.
 */
export class PostgresChainGuard1764576000000 implements MigrationInterface {
  name = 'PostgresChainGuard1764576000000';
  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`CREATE FUNCTION "call_events_chain_link"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE last_seq integer; last_hash text;
      BEGIN
        SELECT "seq", "hash" INTO last_seq, last_hash FROM "call_events" WHERE "call_id" = NEW."call_id" ORDER BY "seq" DESC LIMIT 1;
        IF NEW."hash" !~ '^[0-9a-f]{64}$' THEN
          RAISE EXCEPTION 'call_events: event % of call % has no sha256 hash', NEW."seq", NEW."call_id" USING ERRCODE = 'check_violation';
        END IF;
        IF last_seq IS NULL THEN
          IF NEW."seq" <> 1 OR NEW."prev_hash" <> '${GENESIS}' THEN
            RAISE EXCEPTION 'call_events: the first event of call % must be seq 1 linked to the genesis hash', NEW."call_id" USING ERRCODE = 'check_violation';
          END IF;
        ELSIF NEW."seq" <> last_seq + 1 OR NEW."prev_hash" <> last_hash THEN
          RAISE EXCEPTION 'call_events: event % of call % does not link to its last event (seq %)', NEW."seq", NEW."call_id", last_seq USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "call_events_chain_link" BEFORE INSERT ON "call_events" FOR EACH ROW EXECUTE FUNCTION "call_events_chain_link"()`);
  }
  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TRIGGER "call_events_chain_link" ON "call_events"`);
    await q.query(`DROP FUNCTION "call_events_chain_link"()`);
  }
}
