import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openPgTestDatabase, testPgUrl } from '../testing/pg-data-source';
import type { CallRecord, LoggedEvent, StoredEvent } from './decision-log';
import { GENESIS, hashEvent, verifyChain } from './hash-chain';
import { PgDecisionLog } from './pg-decision-log';

const call = (id: string, seq: number, status: CallRecord['status'] = 'active'): CallRecord =>
  callRecord(id, seq, {
    status,
    outcome: status === 'active' ? null : 'done',
    outcomeDetail: status === 'active' ? null : { why: '办结' },
    updatedAt: `2026-11-23T08:00:0${seq % 10}.000Z`,
    endedAt: status === 'active' ? null : '2026-11-23T08:00:09.000Z',
  });
const event = (callId: string, seq: number): LoggedEvent =>
  loggedEvent(callId, seq, { payload: { option: 'x', n: seq, text: '停机保号' }, at: `2026-11-23T08:00:0${seq % 10}.000Z` });
/** The events read back in clear, linked from GENESIS: the chain is over the sealed payloads (payload-cipher.ts), so hashes are checked, not predicted. */
function expectChained(events: StoredEvent[], logged: LoggedEvent[]): void {
  expect(events.map(({ prevHash: _p, hash: _h, ...e }) => JSON.parse(JSON.stringify(e)))).toEqual(logged);
  expect(events[0]?.prevHash).toBe(GENESIS);
  expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
}
const INSERT = `INSERT INTO call_events (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_before, flow_id_after, flow_version_after, state_after, at, prev_hash, hash)
  VALUES ($1, $2, 'decision', '{}', 'a', 'f', 1, NULL, 'f', 1, 's', 'x', $3, $4)`;

describe('PgDecisionLog (PostgreSQL)', () => {
  let dataSource: DataSource;
  let log: PgDecisionLog;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
  });
  beforeEach(() => {
    log = new PgDecisionLog(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('has the event and the call summary committed when append resolves', async () => {
    await log.append(event('one', 1), call('one', 1));
    const [read] = await log.events('one');
    expect(read).toMatchObject({ ...event('one', 1), prevHash: GENESIS, hash: hashEvent(GENESIS, read) });
    expect(await log.findCall('one')).toMatchObject({ id: 'one', seq: 1, state: 's1', status: 'active', flowVersion: 1 });
  });

  it('answers the findCall lookups of one turn with one read, each with its own call as its last event has it', async () => {
    await log.append(event('f1', 1), call('f1', 1));
    await Promise.all([log.append(event('f1', 2), call('f1', 2)), log.append(event('f2', 1), call('f2', 1))]);
    const spy = jest.spyOn(dataSource, 'query');
    try {
      const found = await Promise.all(['f1', 'nobody', 'f2', 'f1'].map((id) => log.findCall(id)));
      expect(found.map((c) => c && [c.id, c.seq, c.state])).toEqual([['f1', 2, 's2'], null, ['f2', 1, 's1'], ['f1', 2, 's2']]);
      expect(spy).toHaveBeenCalledTimes(2); // the calls' rows, then their last events
    } finally {
      spy.mockRestore();
    }
  });

  it('commits concurrent appends together (group commit), in order, with intact chains', async () => {
    const calls = Array.from({ length: 60 }, (_, i) => `g${i}`);
    await Promise.all(calls.map((id) => log.append(event(id, 1), call(id, 1))));
    expect(log.batchesCommitted).toBe(1);
    // Two events of one call in the same batch are linked in order; the call row ends at the last.
    await Promise.all(calls.flatMap((id) => [log.append(event(id, 2), call(id, 2)), log.append(event(id, 3), call(id, 3, 'completed'))]));
    expect(log.batchesCommitted).toBe(2);
    for (const id of calls.slice(0, 5)) {
      const events = await log.events(id);
      expectChained(
        events,
        [1, 2, 3].map((s) => event(id, s)),
      );
      expect(verifyChain(events)).toEqual({ intact: true, brokenAt: null });
      expect(await log.findCall(id)).toMatchObject({ seq: 3, status: 'completed', outcomeDetail: { why: '办结' }, endedAt: '2026-11-23T08:00:09.000Z' });
    }
    expect((await log.activeCallLogs()).filter((l) => l.call.id.startsWith('g'))).toEqual([]);
  });

  it("seals a new call's first two events in one batch under one key, written once", async () => {
    await Promise.all([log.append(event('two', 1), call('two', 1)), log.append(event('two', 2), call('two', 2))]);
    expect(await dataSource.query(`SELECT COUNT(*)::int AS n FROM call_keys WHERE call_id = 'two'`)).toEqual([{ n: 1 }]);
    const raw: { payload: string }[] = await dataSource.query(`SELECT payload FROM call_events WHERE call_id = 'two'`);
    expect(raw.map((r) => r.payload).join()).not.toContain('停机保号');
    expectChained(
      await log.events('two'),
      [1, 2].map((s) => event('two', s)),
    );
    // After a restart the key is read from call_keys (the chain and the payloads go on).
    const restarted = new PgDecisionLog(dataSource);
    await restarted.append(event('two', 3), call('two', 3));
    expectChained(
      await restarted.events('two'),
      [1, 2, 3].map((s) => event('two', s)),
    );
  });

  it('continues a chain after a restart (the head is read from the table)', async () => {
    await log.append(event('r', 1), call('r', 1));
    await log.append(event('r', 2), call('r', 2));
    const restarted = new PgDecisionLog(dataSource);
    await restarted.append(event('r', 3), call('r', 3));
    expectChained(
      await restarted.events('r'),
      [1, 2, 3].map((s) => event('r', s)),
    );
  });

  it('refuses a bad append alone: its neighbours in the batch commit', async () => {
    await log.append(event('n', 1), call('n', 1));
    const results = await Promise.allSettled([
      log.append(event('n', 2), call('n', 2)),
      log.append(event('gap', 2), call('gap', 2)), // no call row, no first event
      log.append(event('n2', 1), call('n2', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await log.events('gap')).toEqual([]);
    expect(verifyChain(await log.events('n')).intact).toBe(true);
  });

  it('the database keeps the log append-only and each chain linked, whatever the code does', async () => {
    await log.append(event('db', 1), call('db', 1));
    const [last] = await log.events('db');
    await expect(dataSource.query(`UPDATE call_events SET hash = 'x' WHERE call_id = 'db'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE call_events SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM call_events WHERE call_id = 'db'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE call_events CASCADE`)).rejects.toThrow(/append-only/);
    const h = (c: string) => c.repeat(64);
    // A forged link: wrong prev_hash, a skipped seq, a replayed seq, a first event not on genesis, no hash.
    await expect(dataSource.query(INSERT, ['db', 2, h('a'), h('b')])).rejects.toThrow(/does not link/);
    await expect(dataSource.query(INSERT, ['db', 3, last.hash, h('b')])).rejects.toThrow(/does not link/);
    await expect(dataSource.query(INSERT, ['db', 1, GENESIS, h('b')])).rejects.toThrow(/does not link/);
    await dataSource.query(
      `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, state, seq, started_at, updated_at) VALUES ('new', 'f', 1, 'a', '1', 'active', 's', 1, 'x', 'x')`,
    );
    await expect(dataSource.query(INSERT, ['new', 1, h('a'), h('b')])).rejects.toThrow(/genesis/);
    await expect(dataSource.query(INSERT, ['new', 2, GENESIS, h('b')])).rejects.toThrow(/genesis/);
    await expect(dataSource.query(INSERT, ['db', 2, last.hash, 'not-a-hash'])).rejects.toThrow(/sha256/);
    // The true next link is accepted.
    await dataSource.query(INSERT, ['db', 2, last.hash, h('c')]);
    expect((await log.events('db')).map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('PgDecisionLog when the database refuses writes', () => {
  it('refuses with LOG_UNAVAILABLE (nothing written), and the same append goes through once writes come back', async () => {
    const { dataSource, url } = await openPgTestDatabase();
    const name = new URL(url).pathname.slice(1);
    const admin = new Client({ connectionString: testPgUrl() });
    await admin.connect();
    const reopen = async () => {
      await dataSource.destroy();
      await dataSource.initialize();
    };
    try {
      const log = new PgDecisionLog(dataSource);
      await log.append(event('ro', 1), call('ro', 1));
      // A database that became read-only (as a standby is): connections opened from now on refuse writes.
      await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
      await reopen();
      await expect(log.append(event('ro', 2), call('ro', 2))).rejects.toMatchObject({ code: 'LOG_UNAVAILABLE', details: { reason: '25006' } });
      expect((await log.events('ro')).map((e) => e.seq)).toEqual([1]);
      expect(await log.findCall('ro')).toMatchObject({ seq: 1 });
      await admin.query(`ALTER DATABASE "${name}" RESET default_transaction_read_only`);
      await reopen();
      await log.append(event('ro', 2), call('ro', 2));
      expectChained(
        await log.events('ro'),
        [1, 2].map((s) => event('ro', s)),
      );
    } finally {
      await admin.end();
      await dataSource.destroy();
    }
  });
});

describe('migrations on PostgreSQL', () => {
  it('run up, all the way down, and up again', async () => {
    const { dataSource } = await openPgTestDatabase();
    try {
      const tables = async () =>
        (
          (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`)) as {
            tablename: string;
          }[]
        ).map((t) => t.tablename);
      const all = await tables();
      expect(all).toEqual(expect.arrayContaining(['call_events', 'calls', 'metric_rollup_flows', 'scorecards', 'users']));
      while ((await dataSource.query(`SELECT count(*)::int AS n FROM migrations`))[0].n > 0) await dataSource.undoLastMigration();
      expect(await tables()).toEqual([]);
      await dataSource.runMigrations();
      expect(await tables()).toEqual(all);
      const log = new PgDecisionLog(dataSource);
      await log.append(event('m', 1), call('m', 1));
      await expect(dataSource.query(`DELETE FROM call_events`)).rejects.toThrow(/append-only/);
    } finally {
      await dataSource.destroy();
    }
  });
});
