import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { sqlPort } from '../common/sql-port';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { callRecord, INTERLEAVED_LIVE_CALLS, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { headsSince } from './anchor-heads';

describe('the heads a checkpoint anchors (SQLite: picked by the store, span by span)', () => {
  let dataSource: DataSource;
  let dir: string;
  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    const log = new SqliteDecisionLog(dataSource);
    // Three calls interleaved as live calls are in the log: c1 ×5, c2 ×3, c3 ×1 (ids 1–9).
    for (const [id, seq] of INTERLEAVED_LIVE_CALLS) await log.append(loggedEvent(id, seq), callRecord(id, seq));
  });
  afterAll(async () => {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Each call's last event in (from, upTo], read row by row: what the heads must be. */
  const expected = async (from: number, upTo: number) => {
    const rows = await sqlPort(dataSource).all<{ callId: string; seq: number; hash: string }>(
      'SELECT call_id AS "callId", seq, hash FROM call_events WHERE id > ? AND id <= ? ORDER BY id',
      [from, upTo],
    );
    const last = new Map<string, [string, number, string]>();
    for (const r of rows) last.set(r.callId, [r.callId, r.seq, r.hash]);
    return [...last.values()].sort();
  };

  it.each([
    [0, 9],
    [2, 9],
    [0, 4],
    [5, 8],
  ])('(%i, %i]: each call’s last event there with its hash, whatever the span', async (from, upTo) => {
    const sql = sqlPort(dataSource);
    const want = await expected(from, upTo);
    expect(want.length).toBeGreaterThan(0);
    for (const span of [1, 2, 3, 100_000]) expect([...(await headsSince(sql, sql, from, upTo, span)).values()].sort()).toEqual(want);
  });
});
