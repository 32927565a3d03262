import type { DataSource } from 'typeorm';
import { sqlPort } from '../common/sql-port';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { pseudonymiseLegacyNumbers } from './legacy-numbers';
import { numberPseudonym } from './number-pseudonym';

const KEY = 'k'.repeat(64);

describe('legacy numbers at the end-of-call worker’s start: the write turn only when a number in clear is left', () => {
  let dataSource: DataSource;
  const insertCall = (callId: string, number: string) =>
    sqliteHandle(dataSource)
      .prepare(
        `INSERT INTO metric_calls (call_id, day, started_at, caller_number, agent_id, region, brand, tier, flow_id, flow_version, status, outcome, duration_ms, wait_ms, agent_ms, lane_ms)
         VALUES (?, '2026-01-01', '2026-01-01T00:00:00.000Z', ?, 'a', 'r', 'b', 't', 'f', 1, 'completed', 'ok', 1, 1, 1, '{}')`,
      )
      .run(callId, number);

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    for (let i = 0; i < 50; i++) insertCall(`c-${i}`, numberPseudonym(KEY, `1380000${String(i).padStart(4, '0')}`));
  });

  afterAll(() => dataSource.destroy());

  it('every number a pseudonym: nothing converted, the log’s turn never taken', async () => {
    let turns = 0;
    const turn = <T>(write: () => Promise<T>) => (turns++, write());
    expect(await pseudonymiseLegacyNumbers(sqlPort(dataSource), KEY, turn)).toBe(0);
    expect(turns).toBe(0);
  });

  it('a number in clear: converted in the turn', async () => {
    insertCall('c-plain', '13900000001');
    let turns = 0;
    const turn = <T>(write: () => Promise<T>) => (turns++, write());
    expect(await pseudonymiseLegacyNumbers(sqlPort(dataSource), KEY, turn)).toBe(1);
    expect(turns).toBe(1);
    expect(sqliteHandle(dataSource).prepare(`SELECT caller_number FROM metric_calls WHERE call_id = 'c-plain'`).pluck().get()).toBe(
      numberPseudonym(KEY, '13900000001'),
    );
  });
});
