import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { sqlPort } from '../common/sql-port';
import { CallCheckResultEntity } from '../qa/qa.entities';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { syntheticCalls } from '../testing/synthetic-calls';
import type { MetricsFilter } from './metrics-filter';
import { MetricsQueries } from './metrics-queries';
import { MetricsWriter } from './metrics-writer';

const STEPS = () => ['check', 'upsell', 'verify', 'checking', 'close'];
const TABLES = [
  'metric_calls',
  'metric_segments',
  'metric_step_visits',
  'metric_offers',
  'metric_rollup_flows',
  'metric_rollup_steps',
  'metric_rollup_causes',
  'metric_rollup_offers',
];

/**
 * The metrics SQL written once for both stores (MetricsWriter's transaction script, MetricsQueries)
 * answers alike on both: the same calls written the same way give the same rows and the same
 * dashboard answers on SQLite and on PostgreSQL.
 */
describe('metrics on PostgreSQL answer exactly as on SQLite', () => {
  let sqlite: DataSource;
  let dir: string;
  let pg: DataSource;
  const stores = () => [sqlite, pg].map((ds) => new MetricsQueries(sqlPort(ds), STEPS));

  beforeAll(async () => {
    ({ dataSource: sqlite, dir } = await openTestDatabase());
    ({ dataSource: pg } = await openPgTestDatabase());
    const calls = syntheticCalls(300, 11);
    for (const ds of [sqlite, pg]) {
      const writer = new MetricsWriter(sqlPort(ds));
      for (const c of calls.slice(0, 150)) await writer.write(c);
      for (let i = 150; i < calls.length; i += 30) await writer.writeMany(calls.slice(i, i + 30));
      expect(await writer.write(calls[0])).toBe(false);
      await ds.getRepository(CallCheckResultEntity).insert(
        calls.slice(0, 120).flatMap((c, i) => [
          { callId: c.call.callId, checkId: 'disclosure', applicable: true, passed: i % 3 !== 0, findings: [], checkedAt: c.call.startedAt },
          { callId: c.call.callId, checkId: 'upsell', applicable: i % 2 === 0, passed: i % 4 === 0, findings: [], checkedAt: c.call.startedAt },
        ]),
      );
    }
  });
  afterAll(async () => {
    await sqlite.destroy();
    await pg.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the same rows in every fact and rollup table', async () => {
    for (const table of TABLES) {
      const [a, b] = await Promise.all(
        [sqlite, pg].map(async (ds) => {
          const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM "${table}"`);
          // Booleans are 0/1 on SQLite, true/false on PostgreSQL; rows compared as sorted JSON.
          return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])))).sort();
        }),
      );
      expect([table, b.length]).toEqual([table, a.length]);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });

  it('the same dashboard answers for every filter', async () => {
    const filters: MetricsFilter[] = [
      {},
      { flowId: 'f1' },
      { flowId: 'f2', version: 2 },
      { region: 'r2', from: '2026-02-03', to: '2026-04-17' },
      { brand: 'b1', from: '2026-02-01' },
      { agentId: 'a3', to: '2026-03-31' },
      { agentId: 'nobody' },
    ];
    const [onSqlite, onPg] = stores();
    for (const f of filters) {
      expect([f, await onPg.summary(f, 7)]).toEqual([f, await onSqlite.summary(f, 7)]);
      expect([f, await onPg.steps({ ...f, flowId: f.flowId ?? 'f1' })]).toEqual([f, await onSqlite.steps({ ...f, flowId: f.flowId ?? 'f1' })]);
      expect([f, await onPg.offers(f)]).toEqual([f, await onSqlite.offers(f)]);
      expect([f, await onPg.compliance(f)]).toEqual([f, await onSqlite.compliance(f)]);
      expect([f, await onPg.compare(f, 'f2', 1, 2, 14)]).toEqual([f, await onSqlite.compare(f, 'f2', 1, 2, 14)]);
    }
    expect((await onPg.summary({}, 7)).calls).toBe(300);
    expect((await onPg.compliance({})).length).toBe(2);
  });
});
