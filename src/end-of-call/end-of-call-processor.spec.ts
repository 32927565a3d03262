import * as path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { callTrace, type CallTrace, replayCall } from '../calls';
import { endedCallTraces as traces } from '../testing/ended-call-traces';
import { sqliteHandle } from '../common/sqlite-handle';
import { ownSqlPort } from '../common/sql-port';
import { loadCallChecks } from '../qa/qa-checks';
import { FLOWS_DIR } from '../simulation/file-flows';
import { hangUp, qaFlows, suspendFinish, suspendToUpsell, toHub } from '../testing/scripted-call';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { pseudonymiseLegacyNumbers } from '../metrics/legacy-numbers';
import { numberPseudonym } from '../metrics/number-pseudonym';
import { EndOfCallProcessor } from './end-of-call-processor';

/** The metrics number key of these tests (the server generates its own: src/common/stored-secret.ts). */
const NUMBER_KEY = 'k'.repeat(64);

const checks = loadCallChecks(path.join(FLOWS_DIR, 'qa/call-checks.json'));

const enqueue = (db: Database, all: CallTrace[]) => {
  const insert = db.prepare(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES (?, ?, ?) ON CONFLICT (call_id) DO NOTHING`);
  for (const t of all) insert.run(t.callId, JSON.stringify(t), t.startedAt);
};

/** Rows put back to pending with their traces, as after a crash between the worker's commit and anything else. */
const requeue = (db: Database, all: CallTrace[], callIds: string[]) => {
  const update = db.prepare(`UPDATE call_outbox SET processed_at = NULL, trace = ? WHERE call_id = ?`);
  for (const t of all) if (callIds.includes(t.callId)) update.run(JSON.stringify(t), t.callId);
};

/** Every row of the tables the worker writes (and the outbox without its bookkeeping columns), sorted: equal = the same numbers. */
function results(db: Database): Record<string, string[]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'metric_%' ORDER BY name`).all() as { name: string }[]).map(
    (t) => t.name,
  );
  const dump = (sql: string) =>
    db
      .prepare(sql)
      .all()
      .map((r) => JSON.stringify(r))
      .sort();
  return {
    ...Object.fromEntries(tables.map((t) => [t, dump(`SELECT * FROM "${t}"`)])),
    call_check_results: dump(`SELECT call_id, check_id, applicable, passed, findings FROM call_check_results`),
    call_outbox: dump(`SELECT call_id, processed_at IS NOT NULL AS done, trace IS NOT NULL AS traced FROM call_outbox`),
  };
}

describe('the end-of-call processor (outbox → QA checks + metrics, one transaction)', () => {
  const open: DataSource[] = [];
  const database = async () => {
    const { dataSource, dir } = await openTestDatabase();
    open.push(dataSource);
    return { db: sqliteHandle(dataSource), dir };
  };
  afterAll(async () => {
    for (const ds of open) await ds.destroy();
  });

  it('on SQLite, works a batch out before its write turn and writes only the rows still pending when the turn comes', async () => {
    const { db } = await database();
    const all = traces();
    enqueue(db, all);
    const sql = ownSqlPort({ sqlite: db });
    const other = new EndOfCallProcessor(sql, checks, NUMBER_KEY, () => '2026-12-01T00:00:00.000Z');
    const turns: string[] = [];
    // Another writer takes the same rows while this batch waits for its turn.
    const late = new EndOfCallProcessor(
      sql,
      checks,
      NUMBER_KEY,
      () => '2026-12-01T00:00:00.000Z',
      async (write) => {
        turns.push('waiting');
        await other.processBatch(all.length);
        turns.push('writing');
        return write();
      },
    );
    expect(await late.processBatch(all.length)).toBe(0);
    expect(turns).toEqual(['waiting', 'writing']);
    const r = results(db);
    expect(r.metric_calls).toHaveLength(all.length);
    expect(r.call_check_results).toHaveLength(all.length * checks.checks.length);
  });

  it('writes every ended call once; processing again, or a row reset to pending, changes nothing', async () => {
    const { db } = await database();
    const all = traces();
    enqueue(db, all);
    const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY, () => '2026-12-01T00:00:00.000Z');
    let total = 0;
    for (let n; (n = await processor.processBatch(5));) total += n;
    expect(total).toBe(all.length);
    expect(await processor.pending()).toBe(0);
    const once = results(db);
    expect(once.metric_calls).toHaveLength(all.length);
    expect(once.call_check_results).toHaveLength(all.length * checks.checks.length);

    expect(await processor.processBatch(100)).toBe(0);
    enqueue(db, all); // the same calls again: the outbox has them already
    expect(results(db)).toEqual(once);

    // Each processed row dropped its trace (the caller's number and profile in clear) with the same commit.
    expect(db.prepare(`SELECT COUNT(*) AS n FROM call_outbox WHERE trace IS NOT NULL`).get()).toEqual({ n: 0 });

    // A row processed again (as after a crash between commit and anything else): results stay as they were.
    requeue(db, all, ['call-0', 'call-5']);
    expect(await processor.processBatch(100)).toBe(2);
    expect(results(db)).toEqual(once);
  });

  it('the metrics tables keep keyed pseudonyms of the callers, never their numbers; rows from before are converted to the same ones', async () => {
    const all = traces();
    const { db } = await database();
    enqueue(db, all);
    await new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY).processBatch(1_000);
    const stored = db.prepare(`SELECT caller_number AS n FROM metric_calls UNION ALL SELECT caller_number FROM metric_segments`).all() as { n: string }[];
    const numbers = new Set(all.map((t) => t.callerNumber));
    expect(stored.length).toBeGreaterThan(all.length);
    for (const { n } of stored) {
      expect(n).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
      expect(numbers.has(n)).toBe(false);
    }
    // Repeat contacts are still linked: one pseudonym per number, the same one in every row.
    expect(new Set(stored.map((r) => r.n)).size).toBe(numbers.size);
    expect(numberPseudonym(NUMBER_KEY, all[0].callerNumber)).toBe(numberPseudonym(NUMBER_KEY, all[0].callerNumber));
    expect(numberPseudonym('o'.repeat(64), all[0].callerNumber)).not.toBe(numberPseudonym(NUMBER_KEY, all[0].callerNumber));
    const converted = results(db);

    // As an older version left them: numbers in clear. The worker converts them at start, in batches.
    for (const t of all) {
      for (const table of ['metric_calls', 'metric_segments']) {
        db.prepare(`UPDATE ${table} SET caller_number = ? WHERE caller_number = ?`).run(t.callerNumber, numberPseudonym(NUMBER_KEY, t.callerNumber));
      }
    }
    expect(await pseudonymiseLegacyNumbers(ownSqlPort({ sqlite: db }), NUMBER_KEY, undefined, 1)).toBe(numbers.size);
    expect(results(db)).toEqual(converted);
    expect(await pseudonymiseLegacyNumbers(ownSqlPort({ sqlite: db }), NUMBER_KEY)).toBe(0);
  });

  it('the same numbers whatever the batch size and order the calls are processed in', async () => {
    const all = traces();
    const one = await database();
    enqueue(one.db, all);
    await new EndOfCallProcessor(ownSqlPort({ sqlite: one.db }), checks, NUMBER_KEY).processBatch(1_000);
    const other = await database();
    enqueue(other.db, [...all].reverse());
    const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: other.db }), checks, NUMBER_KEY);
    while (await processor.processBatch(1)) {
      /* one call per transaction */
    }
    expect(results(other.db)).toEqual(results(one.db));
  });

  it('a write that fails leaves the row pending with its error; the others go through; once it can be written, the same numbers as without the fault', async () => {
    const all = traces();
    const clean = await database();
    enqueue(clean.db, all);
    await new EndOfCallProcessor(ownSqlPort({ sqlite: clean.db }), checks, NUMBER_KEY).processBatch(1_000);

    const faulty = await database();
    enqueue(faulty.db, all);
    faulty.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON metric_calls WHEN NEW.call_id = 'call-3' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: faulty.db }), checks, NUMBER_KEY);
    expect(await processor.processBatch(1_000)).toBe(all.length - 1);
    expect(faulty.db.prepare(`SELECT attempts, last_error AS error, processed_at AS done FROM call_outbox WHERE call_id = 'call-3'`).get()).toEqual({
      attempts: 1,
      error: expect.stringMatching(/refused/),
      done: null,
    });
    // Nothing of the failed call was written: not its QA results either (one transaction).
    expect(faulty.db.prepare(`SELECT COUNT(*) AS n FROM call_check_results WHERE call_id = 'call-3'`).get()).toEqual({ n: 0 });
    faulty.db.exec(`DROP TRIGGER refuse`);
    expect(await processor.processBatch(1_000)).toBe(1);
    expect(results(faulty.db)).toEqual(results(clean.db));
  });

  it('a storage failure (disk full) throws for a retry with backoff and leaves every row of the batch pending', async () => {
    const { db } = await database();
    enqueue(db, traces().slice(0, 3));
    const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY);
    const storageFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    // A write inside the transaction fails as SQLite does on a full disk (the e2e test fills a real one).
    const prepare = db.prepare.bind(db);
    const commit = jest.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
      if (sql.includes('INSERT INTO call_check_results')) throw storageFull;
      return prepare(sql);
    }) as typeof db.prepare);
    await expect(processor.processBatch(10)).rejects.toThrow(storageFull);
    commit.mockRestore();
    expect(await processor.pending()).toBe(3);
    expect(db.prepare(`SELECT DISTINCT attempts FROM call_outbox`).all()).toEqual([{ attempts: 1 }]);
    expect(await processor.processBatch(10)).toBe(3);
  });

  it('a training call (src/training) is taken off the queue with nothing stored: no metrics, no QA results', async () => {
    const { db } = await database();
    const real = traces().slice(0, 2);
    enqueue(db, real);
    await new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY).processBatch(10);
    const before = results(db);
    const training = real.map((t) => ({ ...t, callId: `training-${t.callId}`, training: 'suspend-service@1#1' }));
    enqueue(db, training);
    expect(await new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY).processBatch(10)).toBe(2);
    const after = results(db);
    expect(after.call_outbox.filter((r) => r.includes('training-'))).toEqual(
      training.map((t) => JSON.stringify({ call_id: t.callId, done: 1, traced: 0 })).sort(),
    );
    expect({ ...after, call_outbox: [] }).toEqual({ ...before, call_outbox: [] });
  });

  it('a trace that cannot be read is stored as a failed `replayable` check, not retried forever', async () => {
    const { db } = await database();
    db.prepare(`INSERT INTO call_outbox (call_id, trace, created_at) VALUES ('broken', '{not json', '2026-11-10T08:00:00Z')`).run();
    expect(await new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, NUMBER_KEY).processBatch(10)).toBe(1);
    expect(db.prepare(`SELECT check_id AS id, passed FROM call_check_results WHERE call_id = 'broken'`).all()).toEqual([{ id: 'replayable', passed: 0 }]);
  });

  it('the trace the call carried is the one replaying its log builds (so the outbox row is derivable from the log)', () => {
    const call = hangUp(suspendFinish(suspendToUpsell(toHub())));
    const replayed = replayCall(qaFlows, call.progress.record, call.events);
    expect(replayed.deterministic).toBe(true);
    expect(callTrace(replayed.progress!)).toEqual(callTrace(call.progress));
  });
});
