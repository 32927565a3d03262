import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copy of decision-log/hash-chain.ts as of this migration, so changing the live code never
// rewrites an applied migration; hash-chain-frozen.spec.ts checks both still hash alike.
export const GENESIS = '0'.repeat(64);

/** A logged event's content as this migration hashes it (the columns of call_events at the time). */
export interface HashedEvent {
  callId: string;
  seq: number;
  type: string;
  payload: unknown;
  agentId: string;
  flowId: string;
  flowVersion: number;
  stateBefore: string | null;
  flowIdAfter: string | null;
  flowVersionAfter: number | null;
  stateAfter: string;
  at: string;
}

function canonical(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : sorted(JSON.parse(json));
}

function sorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sorted(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex of prevHash + canonical(event without its prevHash/hash). */
export function hashEvent(prevHash: string, event: HashedEvent): string {
  const { prevHash: _p, hash: _h, ...content } = event as HashedEvent & { prevHash?: string; hash?: string };
  return createHash('sha256')
    .update(prevHash + canonical(content))
    .digest('hex');
}

interface EventRow {
  id: number;
  call_id: string;
  seq: number;
  type: string;
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

// PostgreSQL (added with the PostgreSQL store): its triggers are dropped with ON "call_events" and
// re-created on the function the initial schema made; parameters are numbered.
const PG_NO_UPDATE = `CREATE TRIGGER "call_events_no_update" BEFORE UPDATE ON "call_events" FOR EACH ROW EXECUTE FUNCTION "call_events_append_only"()`;
const PG_NO_DELETE = `CREATE TRIGGER "call_events_no_delete" BEFORE DELETE ON "call_events" FOR EACH ROW EXECUTE FUNCTION "call_events_append_only"()`;
const dropTriggers = async (q: QueryRunner) => {
  const on = q.connection.options.type === 'postgres' ? ' ON "call_events"' : '';
  await q.query(`DROP TRIGGER IF EXISTS "call_events_no_update"${on}`);
  await q.query(`DROP TRIGGER IF EXISTS "call_events_no_delete"${on}`);
};
const createTriggers = async (q: QueryRunner) => {
  const pg = q.connection.options.type === 'postgres';
  await q.query(pg ? PG_NO_UPDATE : NO_UPDATE);
  await q.query(pg ? PG_NO_DELETE : NO_DELETE);
};

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
    await dropTriggers(q);
    const rows: EventRow[] = await q.query(`SELECT * FROM "call_events" ORDER BY "call_id", "seq"`);
    let callId: string | null = null;
    let prevHash = GENESIS;
    for (const row of rows) {
      if (row.call_id !== callId) {
        callId = row.call_id;
        prevHash = GENESIS;
      }
      const event: HashedEvent = {
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
      const update = `UPDATE "call_events" SET "prev_hash" = ?, "hash" = ? WHERE "id" = ?`;
      await q.query(q.connection.options.type === 'postgres' ? 'UPDATE "call_events" SET "prev_hash" = $1, "hash" = $2 WHERE "id" = $3' : update, [
        prevHash,
        hash,
        row.id,
      ]);
      prevHash = hash;
    }
    await createTriggers(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropTriggers(q);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "hash"`);
    await q.query(`ALTER TABLE "call_events" DROP COLUMN "prev_hash"`);
    await createTriggers(q);
  }
}
