import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { closeReader, readerSqlPort } from '../common/sqlite-reader';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { type CallSearch, CallSearchService } from './call-search.service';

/** A hotline call: started in `enter-service`, then on into `business` at its second event. */
async function hotlineCall(log: SqliteDecisionLog, id: string, business: string, startedAt: string): Promise<void> {
  const over = { flowId: 'enter-service', flowIdAfter: 'enter-service', at: startedAt };
  await log.append(loggedEvent(id, 1, over), callRecord(id, 1, { flowId: 'enter-service', currentFlowId: 'enter-service', startedAt }));
  await log.append(loggedEvent(id, 2, { ...over, flowIdAfter: business, flowVersionAfter: 2 }), callRecord(id, 2, { flowId: 'enter-service', startedAt }));
}

describe('CallSearchService: a business anywhere in the call', () => {
  let dataSource: DataSource;
  let search: CallSearchService;

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    const log = new SqliteDecisionLog(dataSource);
    await hotlineCall(log, 'call-suspend', 'suspend-service', '2026-12-01T08:00:00.000Z');
    await hotlineCall(log, 'call-bill', 'bill-inquiry', '2026-12-01T09:00:00.000Z');
    search = new CallSearchService(dataSource);
  });
  afterAll(async () => {
    await closeReader(dataSource);
    await dataSource.destroy();
  });

  it('finds the calls that entered the business, at its version or at any', async () => {
    const ids = async (flowId: string, version?: number) => (await search.search({ flowId, version, page: 1, pageSize: 50 })).calls.map((c) => c.id);
    expect(await ids('suspend-service')).toEqual(['call-suspend']);
    expect(await ids('suspend-service', 2)).toEqual(['call-suspend']);
    expect(await ids('suspend-service', 1)).toEqual([]);
    expect(await ids('bill-inquiry')).toEqual(['call-bill']);
  });

  it("reads each searched call's own events through the (call_id, seq) index, never every event of the business", async () => {
    const port = readerSqlPort(dataSource);
    const all = jest.spyOn(port, 'all');
    await search.search({ flowId: 'suspend-service', version: 2, page: 1, pageSize: 50 });
    const statements = all.mock.calls.filter(([sql]) => sql.includes('e.flow_id_after = '));
    expect(statements.length).toBeGreaterThan(0);
    const db = sqliteHandle(dataSource);
    for (const [sql, params] of statements) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params ?? [])) as { detail: string }[]).map((r) => r.detail);
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH e .*USING INDEX uq_call_events_call_seq \(call_id=\?\)/));
    }
    all.mockRestore();
  });

  it('keeps no index of every event by flow: each event would pay for one on every commit', () => {
    const indexes = (
      sqliteHandle(dataSource).prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call_events'`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes.sort()).toEqual(['uq_call_events_call_seq']);
  });
});

describe('CallSearchService: counted and paged up to the match limit', () => {
  const LIMIT = 12;
  let dataSource: DataSource;
  let search: CallSearchService;
  const ids = (page: number, pageSize: number, q: Partial<CallSearch> = {}) => search.search({ page, pageSize, ...q });

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    const log = new SqliteDecisionLog(dataSource);
    // 20 calls, one a minute: call-00 the oldest, call-19 the newest; the odd ones resolved.
    for (let i = 0; i < 20; i++) {
      const id = `call-${String(i).padStart(2, '0')}`;
      const startedAt = new Date(Date.parse('2026-12-01T08:00:00.000Z') + i * 60_000).toISOString();
      await log.append(loggedEvent(id, 1, { at: startedAt }), callRecord(id, 1, { startedAt, outcome: i % 2 ? 'resolved' : null }));
    }
    search = new CallSearchService(dataSource, LIMIT);
  });
  afterAll(async () => {
    await closeReader(dataSource);
    await dataSource.destroy();
  });

  it('counts no further than the limit and says there are more', async () => {
    const first = await ids(1, 5);
    expect(first).toMatchObject({ total: LIMIT, totalCapped: true, page: 1, pageSize: 5 });
    expect(first.calls.map((c) => c.id)).toEqual(['call-19', 'call-18', 'call-17', 'call-16', 'call-15']);
  });

  it('counts exactly when the matches fit in the limit', async () => {
    expect(await ids(1, 5, { outcome: 'resolved' })).toMatchObject({ total: 10, totalCapped: false });
    expect(await ids(1, 5, { from: '2026-12-01T08:08:00.000Z' })).toMatchObject({ total: LIMIT, totalCapped: false });
  });

  it('pages through the first LIMIT matches only: the page that crosses it is cut there, the pages past it are empty', async () => {
    expect((await ids(2, 5)).calls.map((c) => c.id)).toEqual(['call-14', 'call-13', 'call-12', 'call-11', 'call-10']);
    expect((await ids(3, 5)).calls.map((c) => c.id)).toEqual(['call-09', 'call-08']);
    expect(await ids(4, 5)).toMatchObject({ total: LIMIT, totalCapped: true, page: 4, calls: [] });
  });

  it('stops reading at the limit: the count reads LIMIT + 1 rows, not every match', async () => {
    const port = readerSqlPort(dataSource);
    const all = jest.spyOn(port, 'all');
    await ids(1, 5);
    const [sql, params] = all.mock.calls.find(([s]) => s.startsWith('SELECT COUNT(*)'))!;
    all.mockRestore();
    expect(sql).toMatch(/LIMIT 13\) AS matched$/);
    expect(
      sqliteHandle(dataSource)
        .prepare(sql.replace(/^SELECT COUNT\(\*\) AS n FROM \((.*)\) AS matched$/s, '$1'))
        .all(...(params ?? [])),
    ).toHaveLength(LIMIT + 1);
  });
});
