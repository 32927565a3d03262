import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import type { AppConfig } from '../config/app-config';
import { FLOWS_DIR } from '../simulation/file-flows';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { callerItems, WorkItems } from './work-items.service';

const NUMBER = '13800000077';
const HOUR = 3_600_000;

describe('a caller’s work items on the screen pop', () => {
  let dataSource: DataSource;
  let items: WorkItems;
  const now = Date.now();
  const at = (hours: number) => new Date(now + hours * HOUR).toISOString();
  const since = at(-7 * 24);
  let seq = 0;

  /** An item of `number` due at `due` h from now, last changed `updated` h from now. */
  function item(id: string, status: string, due: number, updated: number, number = NUMBER): void {
    sqliteHandle(dataSource)
      .prepare(
        `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, rule, created_at, due_at, updated_at, resolved_at)
         VALUES ('follow-up', ?, 'normal', ?, ?, ?, 'back-office', 'default', ?, ?, ?, ?)`,
      )
      .run(status, id, ++seq, number, at(updated - 1), at(due), at(updated), status === 'resolved' || status === 'closed' ? at(updated) : null);
  }

  const listed = async (number = NUMBER) => (await items.forCaller(number, since)).map((i) => [i.callId, i.status, i.overdue]);

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    items = new WorkItems(dataSource, { SERVICE_LEVELS_FILE: path.join(FLOWS_DIR, 'follow-up/service-levels.json') } as AppConfig);
    // A number raised items for a long time: hundreds finished before the window.
    sqliteHandle(dataSource).transaction(() => {
      for (let i = 0; i < 300; i++) item(`old-${i}`, i % 2 ? 'resolved' : 'closed', -2000 + i, -1000 + i);
    })();
    item('due-later', 'open', 30, -2);
    item('in-progress', 'in-progress', 10, -1);
    item('overdue', 'open', -3, -20);
    item('resolved-2d', 'resolved', -40, -48);
    item('closed-1d', 'closed', -30, -24);
    item('resolved-8d', 'resolved', -100, -8 * 24);
    item('other-number', 'open', 5, -1, '13800000078');
  });
  afterAll(() => dataSource.destroy());

  it('lists what is still to do (overdue first, then by due time), then what finished in the window; nothing older, no other number', async () => {
    expect(await listed()).toEqual([
      ['overdue', 'open', true],
      ['in-progress', 'in-progress', false],
      ['due-later', 'open', false],
      ['resolved-2d', 'resolved', false],
      ['closed-1d', 'closed', false],
    ]);
  });

  it('lists 20 at most, those still to do before the finished ones', async () => {
    const number = '13800000079';
    for (let i = 0; i < 18; i++) item(`todo-${i}`, 'open', 10 + i, -1, number);
    for (let i = 0; i < 5; i++) item(`done-${i}`, 'resolved', -10 - i, -2, number);
    const list = await listed(number);
    expect(list).toHaveLength(20);
    expect(list.slice(0, 18).every(([, status]) => status === 'open')).toBe(true);
    expect(list.slice(18).map(([id]) => id)).toEqual(['done-4', 'done-3']);
    for (let i = 18; i < 25; i++) item(`todo-${i}`, 'open', 10 + i, -1, number);
    expect((await listed(number)).every(([, status]) => status === 'open')).toBe(true);
  });

  it('reads the backlog and the window along idx_work_items_caller_updated, never every item of the number', () => {
    const plan = (finishedSince?: string) => {
      const [sql, params] = callerItems(dataSource, NUMBER, 20, finishedSince).getQueryAndParameters();
      return (
        sqliteHandle(dataSource)
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params) as { detail: string }[]
      ).map((r) => r.detail);
    };
    expect(plan()).toContainEqual(expect.stringMatching(/^SEARCH w USING INDEX idx_work_items_caller_updated \(caller_number=\? AND status=\?\)/));
    expect(plan(since)).toContainEqual(
      expect.stringMatching(/^SEARCH w USING INDEX idx_work_items_caller_updated \(caller_number=\? AND status=\? AND updated_at>\?\)/),
    );
  });

  it('replaces idx_work_items_caller, whose lookups it serves', () => {
    const names = sqliteHandle(dataSource).prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'work_items'`).pluck().all();
    expect(names).toContain('idx_work_items_caller_updated');
    expect(names).not.toContain('idx_work_items_caller');
  });
});
