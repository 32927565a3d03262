import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { CallTrace } from '../calls';
import { ownSqlPort, sqlPort, sqlRun } from '../common/sql-port';
import { loadCallChecks } from '../qa/qa-checks';
import { FLOWS_DIR } from '../simulation/file-flows';
import { endedCallTraces } from '../testing/ended-call-traces';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { EndOfCallProcessor } from './end-of-call-processor';

/** The metrics number key of these tests (the server generates its own: src/common/stored-secret.ts). */
const NUMBER_KEY = 'k'.repeat(64);

const checks = loadCallChecks(path.join(FLOWS_DIR, 'qa/call-checks.json'));
const TABLES = ['metric_calls', 'metric_segments', 'metric_step_visits', 'metric_offers', 'metric_rollup_flows', 'metric_rollup_steps', 'metric_rollup_causes'];
const NOW = () => '2026-12-01T00:00:00.000Z';

async function enqueue(ds: DataSource, all: CallTrace[]): Promise<void> {
  await sqlPort(ds).transaction(function* () {
    for (const t of all) {
      yield* sqlRun(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?) ON CONFLICT (call_id) DO NOTHING`, [
        t.callId,
        JSON.stringify(t),
        t.startedAt,
      ]);
    }
  });
}

/** Every row the worker writes, sorted JSON (booleans as 0/1, as SQLite stores them). */
async function results(ds: DataSource): Promise<Record<string, string[]>> {
  const dump = async (sql: string) =>
    ((await ds.query(sql)) as Record<string, unknown>[])
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]))))
      .sort();
  const out: Record<string, string[]> = {};
  for (const t of TABLES) out[t] = await dump(`SELECT * FROM "${t}"`);
  out.call_check_results = await dump(`SELECT call_id, check_id, applicable, passed, findings FROM call_check_results`);
  out.call_outbox = await dump(
    `SELECT call_id, CASE WHEN processed_at IS NULL THEN 0 ELSE 1 END AS done, CASE WHEN trace IS NULL THEN 0 ELSE 1 END AS traced FROM call_outbox`,
  );
  return out;
}

/**
 * The end-of-call processor on PostgreSQL: several workers (each its own pool, as on several nodes)
 * drain one outbox at once — rows claimed FOR UPDATE SKIP LOCKED — and every call is written
 * exactly once, with the same rows as one SQLite worker writes.
 */
describe('end-of-call work on PostgreSQL', () => {
  let pg: DataSource;
  let url: string;
  let sqlite: DataSource;
  let dir: string;
  const pools: Pool[] = [];

  beforeAll(async () => {
    ({ dataSource: pg, url } = await openPgTestDatabase());
    ({ dataSource: sqlite, dir } = await openTestDatabase());
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await pg.destroy();
    await sqlite.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('three workers draining one outbox at once process every call once, as one SQLite worker does', async () => {
    const all = endedCallTraces(90);
    await enqueue(sqlite, all);
    await new EndOfCallProcessor(sqlPort(sqlite), checks, NUMBER_KEY, NOW).processBatch(1_000);

    await enqueue(pg, all);
    const workers = [0, 1, 2].map(() => {
      const pool = new Pool({ connectionString: url, max: 2 });
      pools.push(pool);
      return new EndOfCallProcessor(ownSqlPort({ postgres: pool }), checks, NUMBER_KEY, NOW);
    });
    const taken = await Promise.all(
      workers.map(async (w) => {
        let n = 0;
        for (let got; (got = await w.processBatch(4));) n += got;
        return n;
      }),
    );
    expect(taken.reduce((a, b) => a + b, 0)).toBe(all.length);
    // They really shared the work (SKIP LOCKED), rather than one doing it while the others waited.
    expect(taken.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(await workers[0].pending()).toBe(0);

    const onPg = await results(pg);
    expect(onPg.metric_calls).toHaveLength(all.length);
    expect(onPg.call_check_results).toHaveLength(all.length * checks.checks.length);
    expect(onPg).toEqual(await results(sqlite));

    // The traces went with the commits that processed their rows.
    expect(await pg.query(`SELECT COUNT(*)::int AS n FROM call_outbox WHERE trace IS NOT NULL`)).toEqual([{ n: 0 }]);

    // Reset to pending with their traces (a crash after commit): processed again, nothing changes.
    for (const t of all.filter((c) => ['call-1', 'call-7'].includes(c.callId))) {
      await pg.query(`UPDATE call_outbox SET processed_at = NULL, trace = $1 WHERE call_id = $2`, [JSON.stringify(t), t.callId]);
    }
    expect(await workers[1].processBatch(100)).toBe(2);
    expect(await results(pg)).toEqual(onPg);
  });

  it('a row whose write fails stays pending with its error while the others go through', async () => {
    const all = endedCallTraces(6).map((t) => ({ ...t, callId: `bad-${t.callId}` }));
    await enqueue(pg, all);
    await pg.query(`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
    await pg.query(`CREATE TRIGGER refuse BEFORE INSERT ON metric_calls FOR EACH ROW WHEN (NEW.call_id = 'bad-call-2') EXECUTE FUNCTION refuse()`);
    const processor = new EndOfCallProcessor(sqlPort(pg), checks, NUMBER_KEY, NOW);
    expect(await processor.processBatch(100)).toBe(all.length - 1);
    expect(await pg.query(`SELECT attempts, last_error AS error, processed_at AS done FROM call_outbox WHERE call_id = 'bad-call-2'`)).toEqual([
      { attempts: 1, error: expect.stringMatching(/refused/), done: null },
    ]);
    expect(await pg.query(`SELECT COUNT(*) AS n FROM call_check_results WHERE call_id = 'bad-call-2'`)).toEqual([{ n: 0 }]);
    await pg.query(`DROP TRIGGER refuse ON metric_calls`);
    expect(await processor.processBatch(100)).toBe(1);
    expect(await processor.pending()).toBe(0);
  });
});
