import * as fs from 'node:fs';
import * as fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { MetricMonthRollups1764489600000 } from '../database/migrations/1764489600000-metric-month-rollups';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { syntheticCalls } from '../testing/synthetic-calls';
import { type MetricsFilter, rollupParts } from './metrics-filter';
import { MetricsQueries } from './metrics-queries';
import { sqlPort } from '../common/sql-port';
import { MetricsWriter } from './metrics-writer';
import { MONTHLY, ROLLUP_TABLES } from './rollup-schema';

const day = (d: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);

describe('month rollups', () => {
  let dataSource: DataSource;
  let dir: string;
  let db: Database;
  let months: MetricsQueries;
  let days: MetricsQueries;

  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    db = sqliteHandle(dataSource);
    const writer = new MetricsWriter(sqlPort(dataSource));
    const calls = syntheticCalls(600, 7);
    // Most calls one transaction each (as the server writes them), the rest in batches; calls end out of order either way.
    for (const c of calls.slice(0, 400)) await writer.write(c);
    for (let i = 400; i < calls.length; i += 50) await writer.writeMany(calls.slice(i, i + 50));
    months = new MetricsQueries(sqlPort(dataSource), () => ['check', 'upsell', 'verify', 'checking', 'close']);
    days = new MetricsQueries(sqlPort(dataSource), () => ['check', 'upsell', 'verify', 'checking', 'close'], false);
  });
  afterAll(async () => {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('splits a range into day edges and whole months, deciding coverage as the day rows compare', () => {
    expect(rollupParts({ from: '2026-01-15', to: '2026-04-10' })).toEqual([
      { grain: 'day', from: '2026-01-15', to: '2026-01-31' },
      { grain: 'month', from: '2026-02', to: '2026-03' },
      { grain: 'day', from: '2026-04-01', to: '2026-04-10' },
    ]);
    expect(rollupParts({ from: '2026-02-01', to: '2026-02-28', brand: 'b1' })).toEqual([{ grain: 'profile-month', from: '2026-02', to: '2026-02' }]);
    expect(rollupParts({ from: '2026-02-01', to: '2026-02-27', agentId: 'a1' })).toEqual([{ grain: 'agent', from: '2026-02-01', to: '2026-02-27' }]);
    expect(rollupParts({ from: '2026-01-31', to: '2026-02-01' })).toEqual([{ grain: 'day', from: '2026-01-31', to: '2026-02-01' }]);
    expect(rollupParts({ to: '2026-03-15' })).toEqual([
      { grain: 'month', from: undefined, to: '2026-02' },
      { grain: 'day', from: '2026-03-01', to: '2026-03-15' },
    ]);
    expect(rollupParts({ from: '2026-03-02' })).toEqual([
      { grain: 'day', from: '2026-03-02', to: '2026-03-31' },
      { grain: 'month', from: '2026-04', to: undefined },
    ]);
    expect(rollupParts({})).toEqual([{ grain: 'month', from: undefined, to: undefined }]);
    // A day the DTO's pattern lets through but the calendar lacks still covers the month, as `day <= '2026-02-30'` does.
    expect(rollupParts({ from: '2026-02-01', to: '2026-02-30' })).toEqual([{ grain: 'month', from: '2026-02', to: '2026-02' }]);
    expect(rollupParts({ from: '2026-03-10', to: '2026-01-10' })).toEqual([{ grain: 'day', from: '2026-03-10', to: '2026-01-10' }]);
    expect(rollupParts({ from: '2026-01-15', to: '2026-04-10' }, false)).toEqual([{ grain: 'day', from: '2026-01-15', to: '2026-04-10' }]);
  });

  it('the writer keeps month rows equal to the sums of their day rows', () => {
    for (const [table, { sums }] of Object.entries(ROLLUP_TABLES)) {
      for (const [grain, monthly] of Object.entries(MONTHLY)) {
        const total = (g: string) =>
          db.prepare(`SELECT ${sums.map((c) => `SUM("${c}") AS "${c}"`).join(', ')}, COUNT(*) AS n FROM "${table}" WHERE grain = ?`).get(g) as Record<
            string,
            number
          >;
        const [d, m] = [total(grain), total(monthly)];
        expect(m.n).toBeGreaterThan(0);
        expect(m.n).toBeLessThan(d.n);
        expect({ ...m, n: 0 }).toEqual({ ...d, n: 0 });
      }
    }
  });

  const FILTERS: MetricsFilter[] = [
    {},
    { flowId: 'f1' },
    { flowId: 'f2', version: 2 },
    { region: 'r2' },
    { brand: 'b1' },
    { tier: 't2' },
    { agentId: 'a3' },
    { region: 'r1', brand: 'b2', tier: 't1' },
    { agentId: 'a1', flowId: 'f1', version: 1 },
    { agentId: 'nobody' },
  ];
  /** Around every month edge of the data (and before / after it): ranges that start and end mid-month, on an edge, a day off an edge, or open. */
  const EDGES = [
    undefined,
    '2026-01-09',
    '2026-01-31',
    '2026-02-01',
    '2026-02-02',
    '2026-02-27',
    '2026-02-28',
    '2026-03-15',
    '2026-03-30',
    '2026-03-31',
    '2026-04-01',
    '2026-05-31',
  ];

  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('month + day rows answer exactly as day rows alone — filter %s', async (_, filter) => {
    let nonEmpty = 0;
    for (const from of EDGES) {
      for (const to of EDGES) {
        const f = { ...filter, ...(from ? { from } : {}), ...(to ? { to } : {}) };
        const summary = await months.summary(f, 7);
        expect([f, summary]).toEqual([f, await days.summary(f, 7)]);
        nonEmpty += summary.calls > 0 ? 1 : 0;
        const flowId = filter.flowId ?? 'f1';
        expect([f, await months.steps({ ...f, flowId })]).toEqual([f, await days.steps({ ...f, flowId })]);
        expect([f, await months.offers(f)]).toEqual([f, await days.offers(f)]);
      }
    }
    // Two real answers compared, not two empty ones (except for the agent that took no calls).
    if (filter.agentId !== 'nobody') expect(nonEmpty).toBeGreaterThan(50);
  });

  it('and so do random ranges, FCR windows and version comparisons, with every filter', async () => {
    const range = fc
      .record({
        from: fc.option(fc.integer({ min: -5, max: 145 }), { nil: undefined }),
        to: fc.option(fc.integer({ min: -5, max: 145 }), { nil: undefined }),
      })
      .map(({ from, to }) => ({ ...(from === undefined ? {} : { from: day(from) }), ...(to === undefined ? {} : { to: day(to) }) }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILTERS), range, fc.integer({ min: 1, max: 30 }), async (filter, r, fcrDays) => {
        const f = { ...filter, ...r };
        expect(await months.summary(f, fcrDays)).toEqual(await days.summary(f, fcrDays));
        expect(await months.compare(f, filter.flowId ?? 'f2', 1, 2, fcrDays)).toEqual(await days.compare(f, filter.flowId ?? 'f2', 1, 2, fcrDays));
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });

  it('the migration backfills month rows from the day rows exactly as the writer keeps them', async () => {
    const all = (table: string) =>
      db.prepare(`SELECT * FROM "${table}" WHERE grain IN ('month', 'profile-month', 'agent-month') ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`).all();
    const kept = Object.fromEntries(Object.keys(ROLLUP_TABLES).map((t) => [t, all(t)]));
    const migration = new MetricMonthRollups1764489600000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      for (const t of Object.keys(ROLLUP_TABLES)) expect(all(t)).toEqual([]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    for (const t of Object.keys(ROLLUP_TABLES)) {
      expect(kept[t].length).toBeGreaterThan(0);
      expect(all(t)).toEqual(kept[t]);
    }
  });
});
