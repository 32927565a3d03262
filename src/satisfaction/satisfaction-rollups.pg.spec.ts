import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { sqlPort, sqlRun } from '../common/sql-port';
import { SatisfactionRollups1765670000000 } from '../database/migrations/1765670000000-satisfaction-rollups';
import { MetricsWriter } from '../metrics/metrics-writer';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { syntheticCalls } from '../testing/synthetic-calls';
import { syntheticReplies } from '../testing/synthetic-replies';
import { type SatisfactionFilter, SatisfactionQueries } from './satisfaction-queries';
import { storeReply } from './survey-replies.store';

const rowsOf = async (ds: DataSource) =>
  ((await ds.query(`SELECT * FROM metric_rollup_satisfaction`)) as Record<string, unknown>[])
    .map((r) =>
      JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) && k !== 'day' ? Number(v) : v]))),
    )
    .sort();

/**
 * On PostgreSQL a reply and its call's facts are written by transactions that run at once (the
 * reply's request and the end-of-call worker, on any node): each reply must still be summed exactly
 * once — the call's advisory lock makes the second transaction see the first. Here every call's facts
 * and its replies are written concurrently; the rollups must equal SQLite's (written one after the
 * other) row for row, the report must read alike, and the migration's backfill must rebuild them.
 */
describe('satisfaction rollups on PostgreSQL, replies and facts written at once', () => {
  let sqlite: DataSource;
  let dir: string;
  let pg: DataSource;
  const calls = syntheticCalls(400, 23);
  const replies = syntheticReplies(calls, 5);

  beforeAll(async () => {
    ({ dataSource: sqlite, dir } = await openTestDatabase());
    ({ dataSource: pg } = await openPgTestDatabase());
    const onSqlite = sqlPort(sqlite);
    for (const r of replies.slice(0, replies.length / 2)) await onSqlite.transaction(() => storeReply('sqlite', r, r.repliedAt));
    await new MetricsWriter(onSqlite).writeMany(calls);
    for (const r of replies.slice(replies.length / 2)) await onSqlite.transaction(() => storeReply('sqlite', r, r.repliedAt));

    const onPg = sqlPort(pg);
    const writer = new MetricsWriter(onPg);
    // A batch of calls' facts (as the end-of-call worker writes them) and their replies, at once: half the replies come
    // with the batch, half once the facts' transaction has looked for the batch's replies (it then waits 200 ms before it
    // commits) — those must wait for it (the call's lock), or neither side would count them.
    for (let i = 0; i < calls.length; i += 10) {
      const batch = calls.slice(i, i + 10);
      const ids = new Set(batch.map((c) => c.call.callId));
      let looked!: () => void;
      const afterLook = new Promise<void>((resolve) => (looked = resolve));
      await Promise.all([
        onPg.transaction(function* () {
          const written = yield* writer.writeScript(batch);
          looked();
          yield* sqlRun('SELECT pg_sleep(0.2)');
          return written;
        }),
        ...replies
          .filter((r) => ids.has(r.callId))
          .map(async (r, k) => {
            if (k % 2) await afterLook;
            await onPg.transaction(() => storeReply('postgres', r, r.repliedAt));
          }),
      ]);
    }
  });
  afterAll(async () => {
    await sqlite.destroy();
    await pg.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sums every reply exactly once: the same rollup rows as SQLite', async () => {
    const [a, b] = [await rowsOf(sqlite), await rowsOf(pg)];
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('reads the same report for every filter', async () => {
    const filters: SatisfactionFilter[] = [
      {},
      { from: '2026-02-01', to: '2026-03-31' },
      { flowId: 'f2', from: '2026-01-20', to: '2026-04-10' },
      { agentIds: ['a1', 'a3'] },
    ];
    const [onSqlite, onPg] = [sqlite, pg].map((ds) => new SatisfactionQueries(sqlPort(ds)));
    for (const f of filters) expect([f, await onPg.report(f)]).toEqual([f, await onSqlite.report(f)]);
    expect((await onPg.report({})).total.replies).toBe(replies.length);
  });

  it('the migration backfills the same rows on PostgreSQL', async () => {
    const live = await rowsOf(pg);
    const q = pg.createQueryRunner();
    try {
      await new SatisfactionRollups1765670000000().down(q);
      await new SatisfactionRollups1765670000000().up(q);
    } finally {
      await q.release();
    }
    expect(await rowsOf(pg)).toEqual(live);
  });
});
