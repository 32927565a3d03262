import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { PgDecisionLog } from '../decision-log/pg-decision-log';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { CallLeases } from './call-leases.service';
import { CLAIM, MOVED_AWAY } from './lease-sql';

const config = { usesPostgres: true, NODE_ID: 'node-a', CLUSTER_LEASE_MS: 60_000, CLUSTER_HEARTBEAT_MS: 60_000 } as AppConfig;

describe('CallLeases (PostgreSQL): an attach asks whether its call moved away', () => {
  let dataSource: DataSource;
  let leases: CallLeases;
  let pool: Pool;
  const dropped: string[][] = [];

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    pool = (dataSource.driver as unknown as { master: Pool }).master;
    const log = new PgDecisionLog(dataSource);
    leases = new CallLeases(config, dataSource, log);
    await leases.onModuleInit();
    leases.bind({ adopt: async () => undefined, drop: (ids) => void dropped.push(ids) });
    // Calls begun here: their first batch makes this node their holder (LeaseFence).
    await Promise.all(Array.from({ length: 12 }, (_, i) => log.append(loggedEvent(`c${i}`, 1), callRecord(`c${i}`, 1))));
  });
  afterAll(async () => {
    await leases.onApplicationShutdown();
    await dataSource.destroy();
  });

  /** Another node claims these calls (what its CLAIM does to their rows). */
  const takenElsewhere = (ids: string[]) =>
    pool.query(`UPDATE calls SET owner_node = 'node-b', lease_token = nextval('lease_tokens') WHERE id = ANY($1::text[])`, [ids]);
  const queriesOf = (spy: jest.SpyInstance, sql: string) => spy.mock.calls.filter(([text]) => text === sql).length;
  const movedAwayQueries = (spy: jest.SpyInstance) => queriesOf(spy, MOVED_AWAY);

  it('answers the attaches of one turn with one query, each about its own call; the moved ones are dropped here', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `c${i}`);
    expect(ids.every((id) => leases.tokenOf(id) !== undefined)).toBe(true);
    await takenElsewhere(['c1', 'c4', 'c6']);
    const spy = jest.spyOn(pool, 'query');
    try {
      const answers = await Promise.all(ids.map((id) => leases.movedAway(id)));
      expect(answers).toEqual([false, true, false, false, true, false, true, false]);
      expect(movedAwayQueries(spy)).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(['c1', 'c4', 'c6'].map((id) => leases.tokenOf(id))).toEqual([undefined, undefined, undefined]);
    expect(['c0', 'c2', 'c3', 'c5', 'c7'].every((id) => leases.tokenOf(id) !== undefined)).toBe(true);
    expect(dropped).toEqual([['c1', 'c4', 'c6']]);
  });

  it('asks again in a later turn, and not at all for a call it does not hold', async () => {
    await takenElsewhere(['c9']);
    const spy = jest.spyOn(pool, 'query');
    try {
      expect(await leases.movedAway('c8')).toBe(false);
      expect(await leases.movedAway('c9')).toBe(true);
      expect(await leases.movedAway('c1')).toBe(false); // dropped above: not held here any more
      expect(await leases.movedAway('no-such-call')).toBe(false);
      expect(movedAwayQueries(spy)).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(leases.tokenOf('c9')).toBeUndefined();
    expect(leases.tokenOf('c8')).toBeDefined();
  });

  it('claims the calls its agents attach to in one turn with one statement; an ended call is not claimed', async () => {
    await takenElsewhere(['c10', 'c11']);
    await pool.query(`UPDATE calls SET status = 'completed' WHERE id = 'c2'`);
    await leases.movedAway('c10'); // this node learns c10 and c11 moved
    await leases.movedAway('c11');
    expect([leases.tokenOf('c10'), leases.tokenOf('c11')]).toEqual([undefined, undefined]);
    const spy = jest.spyOn(pool, 'query');
    try {
      expect(await Promise.all(['c10', 'c2', 'c11', 'c10'].map((id) => leases.claim(id)))).toEqual([true, false, true, true]);
      expect(queriesOf(spy, CLAIM)).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const rows = await pool.query<{ id: string; owner_node: string; token: string }>(
      `SELECT id, owner_node, lease_token::text AS token FROM calls WHERE id = ANY($1::text[]) ORDER BY id`,
      [['c10', 'c11']],
    );
    expect(rows.rows.map((r) => [r.id, r.owner_node, r.token])).toEqual([
      ['c10', 'node-a', leases.tokenOf('c10')],
      ['c11', 'node-a', leases.tokenOf('c11')],
    ]);
    expect(await leases.movedAway('c10')).toBe(false);
  });

  it("takes over a lost node's live calls (locked in id order, as claims lock them) and holds them with their new tokens", async () => {
    const log = new PgDecisionLog(dataSource);
    await Promise.all(['c21', 'c20'].map((id) => log.append(loggedEvent(id, 1), callRecord(id, 1))));
    const lostNode = await pool.query<{ incarnation: string }>(
      `INSERT INTO cluster_nodes (incarnation, node_id, expires_at) VALUES (nextval('lease_tokens'), 'node-z', now() - interval '1 second') RETURNING incarnation::text AS incarnation`,
    );
    await pool.query(`UPDATE calls SET owner_node = 'node-z', owner_incarnation = $1, lease_token = nextval('lease_tokens') WHERE id IN ('c20', 'c21')`, [
      lostNode.rows[0].incarnation,
    ]);
    expect((await leases.adoptOrphans()).sort()).toEqual(['c20', 'c21']);
    const rows = await pool.query<{ id: string; owner_node: string; token: string }>(
      `SELECT id, owner_node, lease_token::text AS token FROM calls WHERE id IN ('c20', 'c21') ORDER BY id`,
    );
    expect(rows.rows.map((r) => [r.id, r.owner_node, r.token])).toEqual([
      ['c20', 'node-a', leases.tokenOf('c20')],
      ['c21', 'node-a', leases.tokenOf('c21')],
    ]);
    expect(await leases.adoptOrphans()).toEqual([]);
  });
});
