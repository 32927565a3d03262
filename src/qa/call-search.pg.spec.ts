import type { DataSource } from 'typeorm';
import { PgDecisionLog } from '../decision-log/pg-decision-log';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { CallSearchService } from './call-search.service';

describe('CallSearchService on PostgreSQL: counted and paged up to the match limit', () => {
  const LIMIT = 6;
  let dataSource: DataSource;
  let search: CallSearchService;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    const log = new PgDecisionLog(dataSource);
    for (let i = 0; i < 9; i++) {
      const id = `call-${i}`;
      const startedAt = new Date(Date.parse('2026-12-01T08:00:00.000Z') + i * 60_000).toISOString();
      await log.append(loggedEvent(id, 1, { at: startedAt }), callRecord(id, 1, { startedAt, outcome: i % 2 ? 'resolved' : null }));
    }
    search = new CallSearchService(dataSource, LIMIT);
  });
  afterAll(() => dataSource.destroy());

  it('counts no further than the limit, exactly below it, and leaves the pages past it empty', async () => {
    const first = await search.search({ page: 1, pageSize: 4 });
    expect(first).toMatchObject({ total: LIMIT, totalCapped: true });
    expect(first.calls.map((c) => c.id)).toEqual(['call-8', 'call-7', 'call-6', 'call-5']);
    expect((await search.search({ page: 2, pageSize: 4 })).calls.map((c) => c.id)).toEqual(['call-4', 'call-3']);
    expect((await search.search({ page: 3, pageSize: 4 })).calls).toEqual([]);
    expect(await search.search({ outcome: 'resolved', page: 1, pageSize: 4 })).toMatchObject({ total: 4, totalCapped: false });
  });
});
