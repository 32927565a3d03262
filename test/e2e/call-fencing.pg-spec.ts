import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppError } from '../../src/common/app-error';
import { installPgTypeParsers } from '../../src/common/sql-dialect';
import { loadConfig } from '../../src/config/app-config';
import { ENTITIES, MIGRATIONS } from '../../src/testing/schema';
import { verifyChain } from '../../src/decision-log/hash-chain';
import { PgDecisionLog } from '../../src/decision-log/pg-decision-log';
import { callRecord, loggedEvent } from '../../src/testing/log-records';
import { createTestPgDatabase } from '../../src/testing/pg-data-source';
import { CallLeases } from '../../src/cluster/call-leases.service';

/** One node: its own connection pool, decision log and leases, on the shared database. */
interface Node {
  dataSource: DataSource;
  log: PgDecisionLog;
  leases: CallLeases;
  dropped: string[];
  adopted: string[];
}

const append = (node: Node, id: string, seq: number) => node.log.append(loggedEvent(id, seq), callRecord(id, seq));
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('call leases and fencing (PostgreSQL, two nodes on one database)', () => {
  let url: string;
  const nodes: Node[] = [];

  const startNode = async (nodeId: string): Promise<Node> => {
    installPgTypeParsers();
    const dataSource = new DataSource({ type: 'postgres', url, extra: { max: 4 }, entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true });
    await dataSource.initialize();
    const log = new PgDecisionLog(dataSource);
    const leases = new CallLeases(loadConfig({ DATABASE_URL: url, NODE_ID: nodeId }), dataSource, log);
    const node: Node = { dataSource, log, leases, dropped: [], adopted: [] };
    leases.bind({ adopt: async (ids) => void node.adopted.push(...ids), drop: (ids) => void node.dropped.push(...ids) });
    await leases.onModuleInit();
    nodes.push(node);
    return node;
  };
  const sql = async (text: string, params: unknown[] = []) => (await nodes[0].dataSource.query(text, params)) as Record<string, unknown>[];
  const eventsOf = async (id: string) => nodes[0].log.events(id);

  beforeAll(async () => {
    url = await createTestPgDatabase();
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.leases.onApplicationShutdown();
      await n.dataSource.destroy();
    }
  });

  it('a call started on A is A’s; once B claims it, A’s appends are refused (CALL_MOVED) and nothing of them is written', async () => {
    const a = await startNode('node-a');
    const b = await startNode('node-b');
    await append(a, 'm1', 1);
    await append(a, 'm1', 2);
    expect(await sql(`SELECT owner_node, owner_incarnation::text AS inc FROM calls WHERE id = 'm1'`)).toEqual([
      { owner_node: 'node-a', inc: a.leases.incarnation },
    ]);

    expect(await b.leases.claim('m1')).toBe(true);
    expect(await refusal(append(a, 'm1', 3))).toBe('CALL_MOVED');
    expect((await eventsOf('m1')).map((e) => e.seq)).toEqual([1, 2]);
    // B goes on from the chain's head in the table; A's refused event left no trace.
    await append(b, 'm1', 3);
    const events = await eventsOf('m1');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(events).intact).toBe(true);

    // A's scan finds the call moved away and drops it; a neighbour in A's batch is not affected.
    await append(a, 'm2', 1);
    await a.leases.scan();
    expect(a.dropped).toEqual(['m1']);
    await expect(append(a, 'm2', 2)).resolves.toBeUndefined();
  });

  it('a claim waits for the owner’s commit in flight (its row lock), and sees what it committed', async () => {
    const [a, b] = nodes;
    await append(a, 'w1', 1);
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM calls WHERE id = 'w1' FOR UPDATE`);
      let claimed = false;
      const claim = b.leases.claim('w1').then((ok) => (claimed = ok));
      await new Promise((r) => setTimeout(r, 300));
      expect(claimed).toBe(false);
      await holder.query('COMMIT');
      await claim;
      expect(claimed).toBe(true);
    } finally {
      await holder.end();
    }
    // In the other order: a batch of A waits for B's claim and is then refused.
    expect(await refusal(append(a, 'w1', 2))).toBe('CALL_MOVED');
  });

  it('a node whose lease ran out is declared lost: its calls go to another node and it writes nothing more, not even new calls', async () => {
    const [a, b] = nodes;
    await append(a, 'l1', 1);
    await append(a, 'l2', 1);
    // The incarnation whose lease runs out: A may learn it from the refused batch below (which looks at
    // once) before the heartbeat this test runs, so it is read here, not after.
    const before = a.leases.incarnation;
    await sql(`UPDATE cluster_nodes SET expires_at = now() - interval '1 second' WHERE incarnation = $1`, [before]);
    const adopted = await b.leases.adoptOrphans();
    expect(adopted.sort()).toEqual(expect.arrayContaining(['l1', 'l2']));
    expect(await refusal(append(a, 'l1', 2))).toBe('CALL_MOVED');
    expect(await refusal(append(a, 'new-on-lost', 1))).toBe('CALL_MOVED');
    expect(await sql(`SELECT id FROM calls WHERE id = 'new-on-lost'`)).toEqual([]);
    expect((await eventsOf('l1')).map((e) => e.seq)).toEqual([1]);

    // A learns it at its next heartbeat: every call it held is dropped and it starts again as a new incarnation.
    await a.leases.scan();
    expect(a.dropped).toEqual(expect.arrayContaining(['l1', 'l2', 'm2']));
    expect(Number(a.leases.incarnation)).toBeGreaterThan(Number(before));
    await expect(append(a, 'after-rejoin', 1)).resolves.toBeUndefined();
    await append(b, 'l1', 2);
    expect(verifyChain(await eventsOf('l1')).intact).toBe(true);
  });

  it('a node that stops gracefully hands its calls over at once; tokens only grow', async () => {
    const c = await startNode('node-c');
    await append(c, 'g1', 1);
    await c.leases.onApplicationShutdown();
    const b = nodes[1];
    expect(await b.leases.adoptOrphans()).toContain('g1');
    const [{ token }] = await sql(`SELECT lease_token::text AS token FROM calls WHERE id = 'g1'`);
    expect(Number(token)).toBeGreaterThan(Number(c.leases.incarnation));
  });
});
