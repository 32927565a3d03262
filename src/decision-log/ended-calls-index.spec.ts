import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { SqliteDecisionLog } from './sqlite-decision-log';

/** Retention's query for calls due for erasure (erasure.service.ts), without its batch limit. */
const DUE = `SELECT c.id AS id FROM calls c LEFT JOIN call_keys k ON k.call_id = c.id
  WHERE c.ended_at IS NOT NULL AND c.ended_at < ? AND c.status <> 'active' AND k.erased_at IS NULL ORDER BY c.ended_at LIMIT 100`;

describe('idx_calls_ended_at: ended calls only', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    const log = new SqliteDecisionLog(dataSource);
    await log.append(loggedEvent('live', 1), callRecord('live', 1));
    await log.append(loggedEvent('done', 1), callRecord('done', 1));
    const endedAt = '2026-11-23T08:05:00.000Z';
    await log.append(loggedEvent('done', 2, { at: endedAt }), callRecord('done', 2, { status: 'completed', outcome: 'resolved', endedAt, updatedAt: endedAt }));
  });
  afterAll(() => dataSource.destroy());

  it('holds no entry for a live call: its first and last events cost the index nothing but the one insert at its end', () => {
    const db = sqliteHandle(dataSource);
    const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'idx_calls_ended_at'`).get() as { sql: string };
    expect(sql).toMatch(/WHERE "ended_at" IS NOT NULL$/);
    const indexed = db.prepare(`SELECT id FROM calls INDEXED BY idx_calls_ended_at WHERE ended_at IS NOT NULL`).pluck().all();
    expect(indexed).toEqual(['done']);
  });

  it("still answers retention's query for calls due for erasure through it", () => {
    const db = sqliteHandle(dataSource);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DUE}`).all('2026-12-01T00:00:00.000Z') as { detail: string }[]).map((r) => r.detail);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH c USING INDEX idx_calls_ended_at \(.*ended_at<\?\)/));
    expect(db.prepare(DUE).pluck().all('2026-12-01T00:00:00.000Z')).toEqual(['done']);
    expect(db.prepare(DUE).pluck().all('2026-11-23T08:00:00.000Z')).toEqual([]);
  });
});
