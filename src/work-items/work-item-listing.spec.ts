import * as path from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { sqliteHandle } from '../common/sqlite-handle';
import type { AppConfig } from '../config/app-config';
import { FLOWS_DIR } from '../simulation/file-flows';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { WorkItems } from './work-items.service';

const supervisor: AuthUser = { sub: 'sup-1', username: 'sup1', role: 'supervisor' };
const DESKS = ['billing-desk', 'complaints-desk', 'tech-desk'];
const HOUR = 3_600_000;

/** The listing's order as one sort of the whole scope (what it answered before): the reference. */
const referenceIds = (ds: DataSource, now: string, where?: { desk?: string; assignee?: string }): number[] =>
  sqliteHandle(ds)
    .prepare(
      `SELECT id FROM work_items ${where?.desk ? 'WHERE desk = ?' : where?.assignee ? 'WHERE assignee = ?' : ''}
       ORDER BY CASE WHEN status IN ('open', 'in-progress') AND due_at < ? THEN 0 ELSE 1 END, CASE WHEN priority = 'high' THEN 0 ELSE 1 END, due_at, id LIMIT 200`,
    )
    .pluck()
    .all(...(where ? [where.desk ?? where.assignee, now] : [now])) as number[];

describe('work-item listings with done=true: every item ever raised, overdue first, bounded by indexes', () => {
  let dataSource: DataSource;
  let items: WorkItems;
  const now = Date.now();

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    items = new WorkItems(dataSource, { SERVICE_LEVELS_FILE: path.join(FLOWS_DIR, 'follow-up/service-levels.json') } as AppConfig);
    const db = sqliteHandle(dataSource);
    const insert = db.prepare(
      `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, assignee, rule, created_at, due_at, updated_at, resolved_at)
       VALUES ('follow-up', ?, ?, ?, ?, '13800000005', ?, ?, 'rest', ?, ?, ?, ?)`,
    );
    const statuses = ['resolved', 'closed', 'open', 'in-progress', 'resolved', 'resolved', 'closed'];
    db.transaction(() => {
      for (let i = 0; i < 900; i++) {
        const status = statuses[i % statuses.length];
        // Due dates spread over the past and the future, with ties (same due time, ids apart).
        const due = new Date(now + (((i * 37) % 200) - 120) * HOUR).toISOString();
        const at = new Date(now - 200 * HOUR).toISOString();
        const assignee = i % 4 ? supervisor.sub : null;
        insert.run(
          status,
          i % 3 ? 'normal' : 'high',
          `call-${i}`,
          i,
          DESKS[i % DESKS.length],
          assignee,
          at,
          due,
          at,
          status === 'resolved' || status === 'closed' ? at : null,
        );
      }
    })();
  });

  afterAll(() => dataSource.destroy());

  // First: TypeORM caches its prepared statements, and the spy must see them prepared.
  it('never sorts the whole history: the overdue backlog from its index, the rest walked in index order', async () => {
    const db = sqliteHandle(dataSource);
    const seen: { sql: string; params: unknown[] }[] = [];
    const prepare = db.prepare.bind(db);
    const spy = jest.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
      const stmt: Statement = prepare(sql);
      const all = stmt.all.bind(stmt);
      if (/FROM "work_items"/.test(sql)) stmt.all = ((...params: unknown[]) => (seen.push({ sql, params }), all(...params))) as Statement['all'];
      return stmt;
    }) as typeof db.prepare);
    try {
      await items.list(supervisor, { scope: 'team', done: true });
      await items.list(supervisor, { scope: 'desk', desk: 'tech-desk', done: true });
      await items.list(supervisor, { scope: 'mine', done: true });
    } finally {
      spy.mockRestore();
    }
    const plans = seen.map(({ sql, params }) => ({
      rest: sql.includes('NOT ('),
      plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | '),
    }));
    expect(plans).toHaveLength(6);
    for (const { rest, plan } of plans) {
      if (rest) {
        expect(plan).toMatch(/USING INDEX idx_work_items_((desk|assignee)_)?listing\b/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
        // The overdue backlog: from an index of the items still to do, never a listing index walked whole.
      } else expect(plan).toMatch(/USING INDEX idx_work_items_(status_due|desk|assignee) \(.*status=/);
    }
  });

  it('answers the same items in the same order as the single sort of the whole scope: team, desk and mine', async () => {
    const team = await items.list(supervisor, { scope: 'team', done: true });
    const nowIso = new Date().toISOString();
    expect(team.map((w) => w.id)).toEqual(referenceIds(dataSource, nowIso));
    expect(team.filter((w) => w.overdue).length).toBeGreaterThan(0);
    const desk = await items.list(supervisor, { scope: 'desk', desk: 'tech-desk', done: true });
    expect(desk.map((w) => w.id)).toEqual(referenceIds(dataSource, nowIso, { desk: 'tech-desk' }));
    const mine = await items.list(supervisor, { scope: 'mine', done: true });
    expect(mine.map((w) => w.id)).toEqual(referenceIds(dataSource, nowIso, { assignee: supervisor.sub }));
  });
});
