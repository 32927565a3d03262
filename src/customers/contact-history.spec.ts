import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import type { AppConfig } from '../config/app-config';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { FLOWS_DIR } from '../simulation/file-flows';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { WorkItems } from '../work-items';
import { ContactHistories, recentEndedCalls } from './contact-history.service';

const NUMBER = '13800000042';
const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const DAY_MS = 86_400_000;
const daysAgo = (days: number, minutes = 0) => new Date(NOW - days * DAY_MS + minutes * 60_000).toISOString();

describe('the screen pop’s contact history', () => {
  let dataSource: DataSource;
  let histories: ContactHistories;

  /** A call of `number` started at `startedAt`, ended five minutes later unless `live`. */
  async function call(id: string, startedAt: string, { number = NUMBER, live = false } = {}): Promise<void> {
    const log = new SqliteDecisionLog(dataSource);
    const record = { callerNumber: number, startedAt, updatedAt: startedAt };
    await log.append(loggedEvent(id, 1, { at: startedAt }), callRecord(id, 1, record));
    if (live) return;
    const endedAt = new Date(Date.parse(startedAt) + 5 * 60_000).toISOString();
    await log.append(
      loggedEvent(id, 2, { at: endedAt }),
      callRecord(id, 2, { ...record, status: 'completed', outcome: 'resolved', endedAt, updatedAt: endedAt }),
    );
  }

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    const config = { METRICS_FCR_DAYS: 7, SERVICE_LEVELS_FILE: path.join(FLOWS_DIR, 'follow-up/service-levels.json') } as AppConfig;
    histories = new ContactHistories(dataSource, config, new WorkItems(dataSource, config));
    // Seven ended calls in the last 90 days, in no particular order of insertion.
    for (const [id, days] of [
      ['c3', 30],
      ['c1', 60],
      ['c6', 3],
      ['c2', 45],
      ['c7', 2],
      ['c4', 20],
      ['c5', 10],
    ] as const) {
      await call(id, daysAgo(days));
    }
    await call('too-old', daysAgo(91));
    await call('live', daysAgo(0, -10), { live: true });
    await call('trainee', daysAgo(1));
    sqliteHandle(dataSource)
      .prepare(`INSERT INTO training_calls (call_id, trainee_id, flow_id, scenario_id, started_at) VALUES (?, ?, ?, ?, ?)`)
      .run('trainee', 'a', 'f', 's', daysAgo(1));
    await call('other-number', daysAgo(1), { number: '13800000043' });
  });
  afterAll(() => dataSource.destroy());

  it('lists the five newest ended calls of the number within 90 days: no live, training or older call, no other number', async () => {
    const history = await histories.of(NUMBER, NOW);
    expect(history.recentCalls.map((c) => c.callId)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3']);
    expect(history.recentCalls[0]).toMatchObject({
      startedAt: daysAgo(2),
      status: 'completed',
      outcome: 'resolved',
      businesses: [{ flowId: 'f', outcome: 'resolved' }],
    });
    // The newest is 2 days old, inside the 7-day first-contact window: a repeat contact.
    expect(history.repeatOf).toMatchObject({ callId: 'c7', fcrDays: 7 });
  });

  it('reads them from idx_calls_caller_started, newest first, without sorting the number’s calls', () => {
    const [sql, params] = recentEndedCalls(dataSource, NUMBER, daysAgo(90)).getQueryAndParameters();
    const plan = (
      sqliteHandle(dataSource)
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params) as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH c USING INDEX idx_calls_caller_started \(caller_number=\? AND started_at>\?\)/));
    expect(plan).not.toContainEqual(expect.stringMatching(/TEMP B-TREE/));
  });

  it('replaces idx_calls_caller_number, whose lookups it serves', () => {
    const names = sqliteHandle(dataSource).prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'`).pluck().all();
    expect(names).toContain('idx_calls_caller_started');
    expect(names).not.toContain('idx_calls_caller_number');
  });
});
