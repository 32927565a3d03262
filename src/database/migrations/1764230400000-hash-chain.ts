import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { LoggedEvent } from '../../decision-log/decision-log';
import { GENESIS, hashEvent } from '../../decision-log/hash-chain';

interface EventRow {
  id: number;
  call_id: string;
  seq: number;
  type: LoggedEvent['type'];
  payload: string;
  agent_id: string;
  flow_id: string;
  flow_version: number;
  state_before: string | null;
  flow_id_after: string | null;
  flow_version_after: number | null;
  state_after: string;
  at: string;
}

const NO_UPDATE = `CREATE TRIGGER "call_events_no_update" BEFORE UPDATE ON "call_events"
      BEGIN SELECT RAISE(ABORT, 'call_events is append-only'); END`;
const NO_DELETE = `CREATE TRIGGER "call_events_no_delete" BEFORE DELETE ON "call_events"
      BEGIN SELECT RAISE(ABORT, 'call_events is append-only'); END`;

/**
 * The decision log becomes tamper-evident: every event carries `prev_hash` (its call's previous
 * event's hash; 64 zeros for the first) and `hash` = sha256(prev_hash + canonical(event)).
 * Events logged before this migration are chained here, per call in seq order — the one time the
 * append-only triggers are lifted (and re-created exactly as the initial schema made them).
 */
export class HashChain1764230400000 implements MigrationInterface {
  name = 'HashChain1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "call_events" ADD COLUMN "prev_hash" text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "call_events" ADD COLUMN "hash" text NOT NULL DEFAULT ''`);
    await q.query(`DROP TRIGGER IF EXISTS "call_events_no_update"`);
    await q.query(`DROP TRIGGER IF EXISTS "call_events_no_delete"`);
    const rows: EventRow[] = await q.query(`SELECT * FROM "call_events" ORDER BY "call_id", "seq"`);
    let callId: string | null = null;
    let prevHash = GENESIS;
    for (const row of rows) {
      if (row.call_id !== callId) {
        callId = row.call_id;
        prevHash = GENESIS;
      }
      const event: LoggedEvent = {
        callId: row.call_id,
        seq: row.seq,
        type: row.type,
        payload: JSON.parse(row.payload),
        agentId: row.agent_id,
        flowId: row.flow_id,
        flowVersion: row.flow_version,
        stateBefore: row.state_before,
        flowIdAfter: row.flow_id_after,
        flowVersionAfter: row.flow_version_after,
        stateAfter: row.state_after,
        at: row.at,
      };
      const hash = hashEvent(prevHash, event);
      await q.query(`UPDATE "call_events" SET "prev_hash" = ?, "hash" = ? WHERE "id" = ?`, [prevHash, hash, row.id]);
      prevHash = hash;
    }
    await q.query(NO_UPDATE);
    await q.query(NO_DELETE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS "call_events_no_update"`);
    await q.query(`DROP TRIGGER IF EXISTS "call_events_no_delete"`);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "hash"`);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "prev_hash"`);
    await q.query(NO_UPDATE);
    await q.query(NO_DELETE);
  }
}
