import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { sqlPort } from '../common/sql-port';
import { loadConfig } from '../config/app-config';
import type { CallRecord } from '../decision-log/decision-log';
import { chainEvents, verifyChain } from '../decision-log/hash-chain';
import { readEventsPage } from '../decision-log/log-rows';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { PSEUDONYM_PREFIX } from '../metrics/number-pseudonym';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { Erasures } from './erasure.service';

const supervisor = { sub: 'u-sup', username: 'supervisor1', role: 'supervisor' as const };

describe('retention and erasure (crypto-shredding, SQLite)', () => {
  let dataSource: DataSource;
  let dir: string;
  let log: SqliteDecisionLog;
  const erasures = (env: Record<string, string> = {}) => new Erasures(dataSource, loadConfig({ DATA_DIR: dir, ...env }));

  beforeEach(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
  });
  afterEach(() => dataSource.destroy());

  /** A two-event call of `number` that ended at `endedAt` (null: still in progress), its profile in the first payload. */
  async function call(id: string, number: string, endedAt: string | null): Promise<void> {
    const first = { ...loggedEvent(id, 1), payload: { customer: { name: '韩梅梅', msisdn: number } } };
    await log.append(first, callRecord(id, 1, { callerNumber: number }));
    const last: CallRecord = endedAt
      ? callRecord(id, 2, { callerNumber: number, status: 'completed', outcome: 'done', outcomeDetail: { why: number }, endedAt })
      : callRecord(id, 2, { callerNumber: number });
    await log.append(loggedEvent(id, 2), last, endedAt ? { callId: id, callerNumber: number } : undefined);
  }
  /** Every call's chain as stored (the offline verifier's read: no key needed). */
  async function everyChainIntact(): Promise<boolean> {
    const events = await readEventsPage(sqlPort(dataSource), '', 100);
    const ids = [...new Set(events.map((e) => e.callId))];
    return ids.length > 0 && ids.every((id) => verifyChain(events.filter((e) => e.callId === id)).intact);
  }
  const rows = (sql: string) => sqliteHandle(dataSource).prepare(sql).all() as Record<string, unknown>[];

  it('retention erases the calls that ended more than RETENTION_DAYS ago by their logged end time, and no others', async () => {
    await call('old', '13800000001', '2026-11-01T10:00:00.000Z');
    await call('recent', '13800000001', '2026-11-29T10:00:00.000Z');
    await call('live', '13800000002', null);
    sqliteHandle(dataSource)
      .prepare(
        `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, rule, created_at, due_at, updated_at)
         VALUES ('work-order', 'open', 'normal', 'old', 2, '13800000001', 'back-office', 'default', '2026-11-01', '2026-11-03', '2026-11-01')`,
      )
      .run();
    const retention = erasures({ RETENTION_DAYS: '7' });
    expect(await retention.sweep(new Date('2026-12-01T00:00:00.000Z'))).toBe(1);
    const [item] = rows(`SELECT caller_number FROM work_items WHERE call_id = 'old'`);
    expect(String(item.caller_number).startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(await log.erasedAt('old')).toBe('2026-12-01T00:00:00.000Z');
    await expect(log.events('old')).rejects.toMatchObject({ code: 'CALL_ERASED' });
    expect((await log.events('recent')).map((e) => e.seq)).toEqual([1, 2]);
    expect((await log.events('live')).map((e) => e.seq)).toEqual([1, 2]);
    const [old] = rows(`SELECT caller_number, outcome_detail FROM calls WHERE id = 'old'`);
    expect(String(old.caller_number).startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(old.outcome_detail).toBeNull();
    // The calls row says so too, and the sweep's index of ended calls kept no longer holds it.
    expect(rows(`SELECT id, erased_at AS at FROM calls ORDER BY id`)).toEqual([
      { id: 'live', at: null },
      { id: 'old', at: '2026-12-01T00:00:00.000Z' },
      { id: 'recent', at: null },
    ]);
    // Again: nothing more is due. Bounded: one call per batch, one batch per run.
    expect(await retention.sweep(new Date('2026-12-01T00:00:00.000Z'))).toBe(0);
    expect(await retention.sweep(new Date('2026-12-30T00:00:00.000Z'), 1, 1)).toBe(1);
    // Every chain, as stored, still verifies.
    expect(await everyChainIntact()).toBe(true);
  });

  it('a call logged in clear before encryption (no key) is marked erased too, and no longer reads', async () => {
    const db = sqliteHandle(dataSource);
    db.prepare(
      `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, state, seq, started_at, updated_at, ended_at)
       VALUES ('legacy', 'f', 1, 'a', '13800000001', 'completed', 's1', 1, '2026-10-01T10:00:00.000Z', '2026-10-01T10:00:00.000Z', '2026-10-01T10:01:00.000Z')`,
    ).run();
    const [e] = chainEvents([loggedEvent('legacy', 1)]);
    db.prepare(
      `INSERT INTO call_events (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
       VALUES (?, 1, ?, ?, 'a', 'f', 1, NULL, 'f', 1, 's1', ?, ?, ?)`,
    ).run('legacy', e.type, JSON.stringify(e.payload), e.at, e.prevHash, e.hash);
    expect((await log.events('legacy'))[0].payload).toEqual(e.payload);
    expect(await erasures({ RETENTION_DAYS: '30' }).sweep(new Date('2026-12-01T00:00:00.000Z'))).toBe(1);
    await expect(log.events('legacy')).rejects.toMatchObject({ code: 'CALL_ERASED' });
    expect(rows(`SELECT key, erased_at AS at FROM call_keys WHERE call_id = 'legacy'`)).toEqual([{ key: null, at: '2026-12-01T00:00:00.000Z' }]);
    expect(await everyChainIntact()).toBe(true);
  });

  it('retention off (RETENTION_DAYS 0, the default) erases nothing', async () => {
    await call('old', '13800000001', '2020-01-01T10:00:00.000Z');
    expect(await erasures().sweep(new Date('2026-12-01T00:00:00.000Z'))).toBe(0);
    expect(await log.erasedAt('old')).toBeNull();
  });

  it("an erasure destroys the subscriber's ended calls' keys, pseudonymises their number, drops processed traces, is recorded; others untouched", async () => {
    await call('a1', '13800000001', '2026-11-30T10:00:00.000Z');
    await call('a2', '13800000001', '2026-11-30T11:00:00.000Z');
    await call('a3', '13800000001', null);
    await call('b1', '13800000002', '2026-11-30T10:00:00.000Z');
    sqliteHandle(dataSource).prepare(`UPDATE call_outbox SET processed_at = '2026-11-30T12:00:00.000Z' WHERE call_id = 'a1'`).run();
    const service = erasures();
    const done = await service.eraseSubscriber(supervisor, '13800000001', new Date('2026-12-01T00:00:00.000Z'));
    expect(done).toMatchObject({ username: 'supervisor1', calls: 2, activeCalls: 1, at: '2026-12-01T00:00:00.000Z' });
    expect(done.pseudonym.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(await service.list()).toEqual([{ id: done.id, at: done.at, username: 'supervisor1', pseudonym: done.pseudonym, calls: 2 }]);
    expect(JSON.stringify(rows(`SELECT * FROM erasures`))).not.toContain('13800000001');

    for (const id of ['a1', 'a2']) await expect(log.events(id)).rejects.toMatchObject({ code: 'CALL_ERASED' });
    expect((await log.events('a3')).length).toBe(2); // in progress: left alone
    expect((await log.events('b1'))[0].payload).toEqual({ customer: { name: '韩梅梅', msisdn: '13800000002' } });
    expect(rows(`SELECT id, caller_number AS n FROM calls WHERE id IN ('a1', 'a2') ORDER BY id`)).toEqual([
      { id: 'a1', n: done.pseudonym },
      { id: 'a2', n: done.pseudonym },
    ]);
    expect(rows(`SELECT call_id AS id, trace FROM call_outbox WHERE call_id IN ('a1', 'a2') ORDER BY call_id`)).toEqual([
      { id: 'a1', trace: null }, // processed: dropped
      { id: 'a2', trace: expect.any(String) }, // pending: the worker still needs it
    ]);
    // Processed by a worker that kept traces (an older version; today's drops it as it processes the row): the next sweep drops it.
    sqliteHandle(dataSource).prepare(`UPDATE call_outbox SET processed_at = '2026-12-01T00:01:00.000Z' WHERE call_id = 'a2'`).run();
    await service.sweep();
    expect(rows(`SELECT trace FROM call_outbox WHERE call_id = 'a2'`)).toEqual([{ trace: null }]);

    // Nothing of the erased calls reads in clear any more: not the name, not the number.
    const dump = JSON.stringify([
      rows(`SELECT * FROM calls WHERE id IN ('a1', 'a2')`),
      rows(`SELECT * FROM call_events WHERE call_id IN ('a1', 'a2')`),
      rows(`SELECT * FROM call_outbox WHERE call_id IN ('a1', 'a2')`),
      rows(`SELECT * FROM call_keys WHERE call_id IN ('a1', 'a2')`),
    ]);
    expect(dump).not.toContain('13800000001');
    expect(dump).not.toContain('韩梅梅');
    expect(rows(`SELECT key FROM call_keys WHERE call_id IN ('a1', 'a2')`)).toEqual([{ key: null }, { key: null }]);
    expect(await everyChainIntact()).toBe(true);

    // Erasing again (say, once a3 has ended) counts only what was not erased before; retention's pseudonymised calls are found too.
    const again = await service.eraseSubscriber(supervisor, '13800000001', new Date('2026-12-02T00:00:00.000Z'));
    expect(again).toMatchObject({ calls: 0, activeCalls: 1, pseudonym: done.pseudonym });
  });

  it('the sweep finds the calls due from an index of the ended calls kept, never stepping over those erased; calls erased before it existed leave it', async () => {
    for (let i = 0; i < 4; i++) await call(`gone-${i}`, '13800000001', `2026-10-0${i + 1}T10:00:00.000Z`);
    await call('due', '13800000002', '2026-10-20T10:00:00.000Z');
    await call('kept', '13800000003', '2026-11-30T10:00:00.000Z');
    const retention = erasures({ RETENTION_DAYS: '30' });
    await erasures().eraseSubscriber(supervisor, '13800000001', new Date('2026-10-10T00:00:00.000Z'));
    // As a version before the column left two of them: erased (key row), the calls row not marked.
    sqliteHandle(dataSource).prepare(`UPDATE calls SET erased_at = NULL WHERE id IN ('gone-0', 'gone-1')`).run();
    const sweepQuery = `SELECT id FROM calls WHERE ended_at IS NOT NULL AND erased_at IS NULL AND ended_at < '2026-11-01' AND status <> 'active' ORDER BY ended_at LIMIT 200`;
    expect(rows(`EXPLAIN QUERY PLAN ${sweepQuery}`).map((r) => r.detail)).toEqual([expect.stringMatching(/USING INDEX idx_calls_retained/)]);
    expect(rows(sweepQuery).map((r) => r.id)).toEqual(['gone-0', 'gone-1', 'due']);

    // Counted: only 'due' was not erased before. The two old ones keep their first erasure's time.
    expect(await retention.sweep(new Date('2026-12-01T00:00:00.000Z'))).toBe(1);
    expect(rows(`SELECT id, erased_at AS at FROM calls ORDER BY id`)).toEqual([
      { id: 'due', at: '2026-12-01T00:00:00.000Z' },
      { id: 'gone-0', at: '2026-10-10T00:00:00.000Z' },
      { id: 'gone-1', at: '2026-10-10T00:00:00.000Z' },
      { id: 'gone-2', at: '2026-10-10T00:00:00.000Z' },
      { id: 'gone-3', at: '2026-10-10T00:00:00.000Z' },
      { id: 'kept', at: null },
    ]);
    expect(rows(sweepQuery)).toEqual([]);
    expect(await log.erasedAt('gone-0')).toBe('2026-10-10T00:00:00.000Z');
    expect(await everyChainIntact()).toBe(true);
  });

  it('the sweep drops the traces that processed outbox rows still hold, in bounded slices, from an index of those rows alone', async () => {
    for (let i = 0; i < 5; i++) await call(`kept-${i}`, `1380000001${i}`, '2026-11-30T10:00:00.000Z');
    await call('pending', '13800000020', '2026-11-30T10:00:00.000Z');
    // As a worker of an older version left them: processed, traces kept. Retention is off (RETENTION_DAYS 0).
    sqliteHandle(dataSource).prepare(`UPDATE call_outbox SET processed_at = '2026-11-30T12:00:00.000Z' WHERE call_id LIKE 'kept-%'`).run();
    const kept = () => rows(`SELECT call_id AS id FROM call_outbox WHERE trace IS NOT NULL ORDER BY call_id`).map((r) => r.id);
    const service = erasures();
    // One slice of two rows in a run: the rest wait for the next runs.
    expect(await service.sweep(new Date('2026-12-01T00:00:00.000Z'), 2, 1)).toBe(0);
    expect(kept()).toEqual(['kept-2', 'kept-3', 'kept-4', 'pending']);
    await service.sweep(new Date('2026-12-01T00:00:00.000Z'), 2, 5);
    // The pending row keeps its trace: the worker still needs it.
    expect(kept()).toEqual(['pending']);
    expect(await log.erasedAt('kept-0')).toBeNull();
    // The slice reads the partial index (no scan of the outbox, whose processed rows are nearly all trace-less).
    const plan = rows(`EXPLAIN QUERY PLAN SELECT id FROM call_outbox WHERE processed_at IS NOT NULL AND trace IS NOT NULL ORDER BY id LIMIT 200`);
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/USING (COVERING )?INDEX idx_call_outbox_kept_traces/);
  });
});
