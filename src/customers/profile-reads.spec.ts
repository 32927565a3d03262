import type { Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { ProfileReads } from './profile-reads.service';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Call {
  agentId: string;
  callerNumber: string;
  startedAt: string;
  endedAt: string | null;
}

describe('profile reads: a read without a call is matched against the calls that could be its own only', () => {
  let dataSource: DataSource;
  let reads: ProfileReads;
  const calls: Call[] = [];
  const readRows: { id: number; at: string; userId: string; msisdn: string; withCall: boolean }[] = [];

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    reads = new ProfileReads(dataSource);
    const db = sqliteHandle(dataSource);
    const read = db.prepare(`INSERT INTO profile_reads (at, user_id, username, role, msisdn, with_call) VALUES (?, ?, ?, 'agent', ?, ?)`);
    const call = db.prepare(
      `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, state, seq, started_at, updated_at, ended_at)
       VALUES (?, 'top-up', 1, ?, ?, ?, '"x"', 1, ?, ?, ?)`,
    );
    const addCall = (c: Call) => {
      calls.push(c);
      call.run(`call-${calls.length}`, c.agentId, c.callerNumber, c.endedAt ? 'completed' : 'active', c.startedAt, c.startedAt, c.endedAt);
    };
    db.transaction(() => {
      for (let i = 0; i < 60; i++) {
        const msisdn = `138000${String(i % 20).padStart(5, '0')}`;
        const userId = `agent-${i % 3}`;
        const at = T0 + i * 30 * MIN;
        const withCall = i % 5 === 0;
        const id = Number(read.run(iso(at), userId, userId, msisdn, withCall ? 1 : 0).lastInsertRowid);
        readRows.push({ id, at: iso(at), userId, msisdn, withCall });
        // A year of the number's history with the same reader, long before every read: never a match.
        for (let k = 1; k <= 10; k++)
          addCall({ agentId: userId, callerNumber: msisdn, startedAt: iso(T0 - k * 30 * 86_400_000), endedAt: iso(T0 - k * 30 * 86_400_000 + 5 * MIN) });
        if (i % 4 === 0) addCall({ agentId: userId, callerNumber: msisdn, startedAt: iso(at + 5 * MIN), endedAt: iso(at + 9 * MIN) }); // the call the read was for
        if (i % 4 === 1) addCall({ agentId: 'agent-9', callerNumber: msisdn, startedAt: iso(at + 2 * MIN), endedAt: iso(at + 4 * MIN) }); // someone else's call
        if (i % 4 === 2) addCall({ agentId: userId, callerNumber: msisdn, startedAt: iso(at + 11 * MIN), endedAt: iso(at + 15 * MIN) }); // too late
        if (i % 7 === 3) addCall({ agentId: userId, callerNumber: msisdn, startedAt: iso(at - 3 * MIN), endedAt: null }); // still in progress
      }
    })();
  });

  afterAll(() => dataSource.destroy());

  /** What the listing answered before: every read against every call of its number, one by one. */
  const reference = (filter: { msisdn?: string; withoutCall?: boolean }) =>
    [...readRows]
      .filter((r) => !filter.msisdn || r.msisdn === filter.msisdn)
      .sort((a, b) => b.id - a.id)
      .map((r) => {
        const latestStart = iso(Date.parse(r.at) + 10 * MIN);
        const forCall =
          r.withCall ||
          calls.some((c) => c.agentId === r.userId && c.callerNumber === r.msisdn && c.startedAt <= latestStart && (c.endedAt === null || c.endedAt >= r.at));
        return { id: r.id, forCall };
      })
      .filter((r) => !filter.withoutCall || !r.forCall);

  it('reads only the calls that could be a read’s own, not the numbers’ whole history', async () => {
    const db = sqliteHandle(dataSource);
    let callRowsRead = 0;
    const prepare = db.prepare.bind(db);
    const spy = jest.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
      const stmt: Statement = prepare(sql);
      const all = stmt.all.bind(stmt);
      if (/FROM calls/.test(sql))
        stmt.all = ((...params: unknown[]) => {
          const rows = all(...params);
          callRowsRead += rows.length;
          return rows;
        }) as Statement['all'];
      return stmt;
    }) as typeof db.prepare);
    try {
      await reads.list({ withoutCall: true });
    } finally {
      spy.mockRestore();
    }
    expect(callRowsRead).toBeGreaterThan(0);
    expect(callRowsRead).toBeLessThan(60); // the history alone is 600 calls
  });

  it('answers as before: every read newest first, with or without a call; filtered by number', async () => {
    for (const filter of [{}, { withoutCall: true }, { msisdn: '13800000003' }, { msisdn: '13800000004', withoutCall: true }]) {
      const listed = await reads.list(filter);
      expect(listed.map(({ id, forCall }) => ({ id, forCall }))).toEqual(reference(filter));
    }
    const withoutCall = await reads.list({ withoutCall: true });
    expect(withoutCall.length).toBeGreaterThan(0);
    expect(withoutCall.length).toBeLessThan(readRows.length - 10);
  });
});
