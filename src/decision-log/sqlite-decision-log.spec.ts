import type { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { sqliteHandle } from '../common/sqlite-handle';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import type { CallRecord, LoggedEvent } from './decision-log';
import { GENESIS, hashEvent, verifyChain } from './hash-chain';
import { readCalls } from './log-rows';
import { logUnavailable, SqliteDecisionLog } from './sqlite-decision-log';

const call = (id: string, seq: number) => callRecord(id, seq);
const event = (callId: string, seq: number) => loggedEvent(callId, seq);

describe('SqliteDecisionLog', () => {
  let dataSource: DataSource;
  let log: SqliteDecisionLog;

  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
  });
  afterEach(() => dataSource.destroy());

  it('has the event and the call summary committed when append resolves', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    const events = await log.events('c1');
    expect(events).toHaveLength(1);
    // Hashed as stored: over the sealed payload (payload-cipher.ts), read back in clear.
    expect(events[0]).toMatchObject({ ...event('c1', 1), prevHash: GENESIS, hash: hashEvent(GENESIS, events[0]) });
    expect(await log.findCall('c1')).toMatchObject({ id: 'c1', seq: 1, state: 's1', status: 'active' });
  });

  it('commits concurrent appends together (group commit)', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(event(`c${i}`, 1), call(`c${i}`, 1))));
    expect(log.batchesCommitted).toBe(1);
    expect(await log.activeCallLogs()).toHaveLength(100);
  });

  it('paces commits: appends within the commit interval after a commit share the next one; an idle log commits at once', async () => {
    // The interval's clock and timer are the test's (ticks stay real): a stall of this process longer
    // than the interval could otherwise send the batch before the third append joined it.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const paced = new SqliteDecisionLog(dataSource, undefined, { commitIntervalMs: 300 });
      await paced.append(event('p0', 1), call('p0', 1)); // idle: committed without waiting
      expect(paced.batchesCommitted).toBe(1);
      // Three appends in three separate ticks, right after that commit: one batch, sent once the interval is up.
      const appends: Promise<void>[] = [];
      for (let i = 1; i <= 3; i++) {
        appends.push(paced.append(event(`p${i}`, 1), call(`p${i}`, 1)));
        await new Promise((r) => setImmediate(r));
      }
      jest.advanceTimersByTime(299);
      await new Promise((r) => setImmediate(r));
      expect(paced.batchesCommitted).toBe(1);
      jest.advanceTimersByTime(1);
      await Promise.all(appends);
      expect(paced.batchesCommitted).toBe(2);
      expect(await paced.activeCallLogs()).toHaveLength(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads every active call with its events in order, ended calls left out (recovery)', async () => {
    await log.append(event('a', 1), call('a', 1));
    await log.append(event('b', 1), call('b', 1));
    await log.append(event('a', 2), call('a', 2));
    await log.append(event('b', 2), { ...call('b', 2), status: 'completed', outcome: 'done', endedAt: '2026-11-20T10:00:02.000Z' });
    const logs = await log.activeCallLogs();
    expect(logs.map((l) => l.call.id)).toEqual(['a']);
    expect(logs[0].call).toEqual(await log.findCall('a'));
    expect(logs[0].events).toEqual(await log.events('a'));
    expect(logs[0].events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it("leaves an active call's row as it started, reads where the call stands from its last event, and writes the row in full at its end", async () => {
    const at = (s: number) => `2026-11-23T08:00:0${s}.000Z`;
    const row = async () => (await dataSource.query(`SELECT state, seq, current_flow_id AS flow, updated_at AS at, status FROM calls WHERE id = 'm'`))[0];
    await log.append(loggedEvent('m', 1), callRecord('m', 1));
    await log.append(loggedEvent('m', 2, { at: at(2) }), callRecord('m', 2, { updatedAt: at(2) }));
    const moved = { flowIdAfter: 'g', flowVersionAfter: 2, at: at(3) };
    await log.append(loggedEvent('m', 3, moved), callRecord('m', 3, { currentFlowId: 'g', currentFlowVersion: 2, updatedAt: at(3) }));
    // No statement rewrote the row after the call's first event…
    expect(await row()).toEqual({ state: 's1', seq: 1, flow: 'f', at: '2026-11-23T08:00:00.000Z', status: 'active' });
    // …and every reader sees the call where its last event left it.
    const standing = { seq: 3, state: 's3', currentFlowId: 'g', currentFlowVersion: 2, updatedAt: at(3), status: 'active' };
    expect(await log.findCall('m')).toMatchObject(standing);
    expect((await log.activeCallLogs())[0].call).toEqual(await log.findCall('m'));
    expect((await log.callLogs(['m']))[0].call).toEqual(await log.findCall('m'));
    await log.append(loggedEvent('n', 1), callRecord('n', 1));
    const several = await readCalls(dataSource, ['m', 'nobody', 'n']);
    expect([...several.keys()].sort()).toEqual(['m', 'n']);
    expect(several.get('m')).toEqual(await log.findCall('m'));
    expect(several.get('n')).toEqual(await log.findCall('n'));
    const ended = callRecord('m', 4, { status: 'completed', outcome: 'done', currentFlowId: 'g', currentFlowVersion: 2, updatedAt: at(4), endedAt: at(4) });
    await log.append(loggedEvent('m', 4, { ...moved, at: at(4) }), ended);
    expect(await row()).toEqual({ state: 's4', seq: 4, flow: 'g', at: at(4), status: 'completed' });
    expect(await log.findCall('m')).toEqual(ended);
  });

  it('fails only the bad append of a batch', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    const results = await Promise.allSettled([
      log.append(event('c1', 2), call('c1', 2)),
      log.append(event('c1', 1), call('c1', 1)), // duplicate seq
      log.append(event('c2', 1), call('c2', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await log.events('c1')).map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyChain(await log.events('c1')).intact).toBe(true);
  });

  it("chains each call's events as it writes them, across batches and calls", async () => {
    await Promise.all([log.append(event('c1', 1), call('c1', 1)), log.append(event('c2', 1), call('c2', 1))]);
    await log.append(event('c1', 2), call('c1', 2));
    await Promise.all([log.append(event('c1', 3), call('c1', 3)), log.append(event('c2', 2), call('c2', 2))]);
    const [c1, c2] = [await log.events('c1'), await log.events('c2')];
    expect(c1.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(c1)).toEqual({ intact: true, brokenAt: null });
    expect(verifyChain(c2)).toEqual({ intact: true, brokenAt: null });
    expect(c1[1].prevHash).toBe(c1[0].hash);
    expect(c2[0].prevHash).toBe(GENESIS);
  });

  it('links two events of one call in the same batch in order', async () => {
    await Promise.all([1, 2, 3].map((seq) => log.append(event('c1', seq), call('c1', seq))));
    expect(log.batchesCommitted).toBe(1);
    expect(verifyChain(await log.events('c1')).intact).toBe(true);
  });

  it('continues the chain from the table after a restart (a new log on the same database)', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    await log.append(event('c1', 2), call('c1', 2));
    const restarted = new SqliteDecisionLog(dataSource);
    await restarted.append(event('c1', 3), call('c1', 3));
    const events = await restarted.events('c1');
    expect(events[2].prevHash).toBe(events[1].hash);
    expect(verifyChain(events).intact).toBe(true);
  });

  it('advances the chain only for a committed event', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    await expect(log.append({ ...event('c1', 1), payload: { other: true } }, call('c1', 1))).rejects.toMatchObject({
      message: expect.stringMatching(/UNIQUE/),
    });
    await log.append(event('c1', 2), call('c1', 2));
    expect(verifyChain(await log.events('c1'))).toEqual({ intact: true, brokenAt: null });
  });

  it('is append-only: the database refuses edits and deletes of logged events', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    await expect(dataSource.query(`UPDATE call_events SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM call_events`)).rejects.toThrow(/append-only/);
  });

  it("queues an ended call's end-of-call work in the same commit as its last event (and only then)", async () => {
    const outbox = () => sqliteHandle(dataSource).prepare(`SELECT call_id AS callId, trace, processed_at AS done FROM call_outbox`).all();
    await log.append(event('c1', 1), call('c1', 1));
    expect(outbox()).toEqual([]);
    const ended: CallRecord = { ...call('c1', 2), status: 'completed', outcome: 'done', endedAt: '2026-11-23T08:01:00.000Z' };
    await log.append(event('c1', 2), ended, { callId: 'c1', entries: [] });
    expect(outbox()).toEqual([{ callId: 'c1', trace: JSON.stringify({ callId: 'c1', entries: [] }), done: null }]);
  });

  describe('when the storage refuses writes', () => {
    /** A big payload, so each event needs new pages. */
    const bulky = (callId: string, seq: number): LoggedEvent => ({
      ...event(callId, seq),
      payload: { option: 'x', n: seq, note: 'n'.repeat(20_000) },
    });
    /** SQLite's own size cap: the real SQLITE_FULL path a full disk takes, at the page the file has now. */
    const fillDisk = () => {
      const db = sqliteHandle(dataSource);
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    };
    const freeSpace = () => sqliteHandle(dataSource).pragma('max_page_count = 1073741823');

    it('rejects every append of the batch with LOG_UNAVAILABLE, writes nothing and moves no chain head; recovers once space returns', async () => {
      await log.append(bulky('c1', 1), call('c1', 1));
      await log.append(bulky('c1', 2), call('c1', 2));
      fillDisk();
      const results = await Promise.allSettled([
        log.append(bulky('c1', 3), call('c1', 3)),
        log.append(bulky('c2', 1), call('c2', 1)),
        log.append(bulky('c3', 1), call('c3', 1)),
      ]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        const error = (r as PromiseRejectedResult).reason;
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'LOG_UNAVAILABLE', httpStatus: 503, details: { reason: 'SQLITE_FULL' } });
        expect(error.message).toMatch(/disk is full.*nothing was recorded/);
      }
      expect((await log.events('c1')).map((e) => e.seq)).toEqual([1, 2]);
      expect(await log.findCall('c1')).toMatchObject({ seq: 2, state: 's2' });
      expect(await log.findCall('c2')).toBeNull();
      // A call whose last event was refused is not queued for end-of-call work either (one transaction).
      await expect(log.append(bulky('c1', 3), { ...call('c1', 3), status: 'abandoned' }, { callId: 'c1' })).rejects.toMatchObject({
        code: 'LOG_UNAVAILABLE',
      });
      expect(sqliteHandle(dataSource).prepare(`SELECT COUNT(*) AS n FROM call_outbox`).get()).toEqual({ n: 0 });

      // Still full: refused again, the connection stays usable for reads.
      await expect(log.append(bulky('c1', 3), call('c1', 3))).rejects.toMatchObject({ code: 'LOG_UNAVAILABLE' });
      freeSpace();
      await log.append(bulky('c1', 3), call('c1', 3));
      await log.append(bulky('c2', 1), call('c2', 1));
      const c1 = await log.events('c1');
      expect(c1.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(c1[2].prevHash).toBe(c1[1].hash); // the refused attempts never moved the head
      expect(verifyChain(c1)).toEqual({ intact: true, brokenAt: null });
      expect(await log.findCall('c1')).toMatchObject({ seq: 3, state: 's3' });
    });

    it('maps storage result codes to LOG_UNAVAILABLE and leaves other errors alone', () => {
      expect(logUnavailable(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }))).toMatchObject({
        code: 'LOG_UNAVAILABLE',
        details: { reason: 'SQLITE_READONLY' },
        message: expect.stringMatching(/read-only/),
      });
      expect(logUnavailable(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }))).toMatchObject({
        code: 'LOG_UNAVAILABLE',
      });
      expect(logUnavailable(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
      expect(logUnavailable(new Error('boom'))).toBeNull();
    });
  });

  it('never commits inside another transaction open on the shared connection: waits for it, and survives its rollback', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`UPDATE calls SET state = 'foreign' WHERE id = 'c1'`);
    let committed = false;
    const append = log.append(event('c1', 2), call('c1', 2)).then(() => (committed = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(committed).toBe(false);
    await runner.rollbackTransaction();
    await runner.release();
    await append;
    expect((await log.events('c1')).map((e) => e.seq)).toEqual([1, 2]);
    expect(await log.findCall('c1')).toMatchObject({ seq: 2, state: 's2' });
  });
});
