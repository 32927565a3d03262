import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { CallTrace } from '../calls';
import { ownSqlPort, sqlPort, sqlRun } from '../common/sql-port';
import { loadCallChecks } from '../qa/qa-checks';
import { FLOWS_DIR } from '../simulation/file-flows';
import { endedCallTraces } from '../testing/ended-call-traces';
import { entry, reply, trace } from '../testing/hand-traces';
import { numberPseudonym } from '../metrics/number-pseudonym';
import { loadServiceLevels } from '../work-items/service-levels';
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

  it('a call erased while its row waited raises its items under the pseudonym (key rows read FOR SHARE); a call kept, under the number', async () => {
    const raising = [
      entry(3, { stepId: 'raising-ticket', action: reply(4, true, { action: 'raise-work-order', receiptId: 'WO-9' }) }),
      entry(4, { final: true }),
    ];
    const calls = [trace(raising, { callId: 'pg-erased', callerNumber: '13800000015' }), trace(raising, { callId: 'pg-kept', callerNumber: '13800000016' })];
    await enqueue(pg, calls);
    for (const t of calls) {
      await pg.query(`INSERT INTO call_keys (call_id, key, created_at, erased_at) VALUES ($1, NULL, $2, $3)`, [
        t.callId,
        t.startedAt,
        t.callId === 'pg-erased' ? '2026-12-01T11:00:00.000Z' : null,
      ]);
    }
    const policy = loadServiceLevels(path.join(FLOWS_DIR, 'follow-up/service-levels.json'));
    expect(await new EndOfCallProcessor(sqlPort(pg), checks, NUMBER_KEY, NOW, undefined, policy).processBatch(100)).toBe(2);
    expect(await pg.query(`SELECT call_id AS id, caller_number AS n FROM work_items WHERE call_id LIKE 'pg-%' ORDER BY call_id`)).toEqual([
      { id: 'pg-erased', n: numberPseudonym(NUMBER_KEY, '13800000015') },
      { id: 'pg-kept', n: '13800000016' },
    ]);
  });

  it('an erasure under way when the worker reaches the call is waited for: its items are raised under the pseudonym', async () => {
    const raising = [
      entry(3, { stepId: 'raising-ticket', action: reply(4, true, { action: 'raise-work-order', receiptId: 'WO-9' }) }),
      entry(4, { final: true }),
    ];
    const t = trace(raising, { callId: 'pg-racing', callerNumber: '13800000017' });
    await enqueue(pg, [t]);
    await pg.query(`INSERT INTO call_keys (call_id, key, created_at, erased_at) VALUES ($1, 'k', $2, NULL)`, [t.callId, t.startedAt]);
    const pool = new Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    // The erasure's transaction has destroyed the key and not committed yet (shredCalls writes the key row first).
    const erasure = await pool.connect();
    await erasure.query('BEGIN');
    await erasure.query(`UPDATE call_keys SET key = NULL, erased_at = '2026-12-01T11:00:00.000Z' WHERE call_id = $1`, [t.callId]);
    const policy = loadServiceLevels(path.join(FLOWS_DIR, 'follow-up/service-levels.json'));
    let settled = false;
    const processing = new EndOfCallProcessor(sqlPort(pg), checks, NUMBER_KEY, NOW, undefined, policy).processBatch(100).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false); // waiting on the key row
    // The erasure pseudonymises the call's items (none yet) and commits.
    await erasure.query(`UPDATE work_items SET caller_number = 'h:erased' WHERE call_id = $1`, [t.callId]);
    await erasure.query('COMMIT');
    erasure.release();
    expect(await processing).toBe(1);
    expect(await pg.query(`SELECT caller_number AS n FROM work_items WHERE call_id = $1`, [t.callId])).toEqual([
      { n: numberPseudonym(NUMBER_KEY, '13800000017') },
    ]);
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
