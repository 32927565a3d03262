import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { AppConfig } from '../config/app-config';
import { FLOWS_DIR } from '../simulation/file-flows';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { WorkItems } from './work-items.service';

const supervisor: AuthUser = { sub: 'sup-1', username: 'sup1', role: 'supervisor' };
const HOUR = 3_600_000;

describe('work-item listings with done=true (PostgreSQL): the listing indexes exist, the order is the single sort’s', () => {
  let dataSource: DataSource;
  let items: WorkItems;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    items = new WorkItems(dataSource, { SERVICE_LEVELS_FILE: path.join(FLOWS_DIR, 'follow-up/service-levels.json') } as AppConfig);
    const statuses = ['resolved', 'closed', 'open', 'in-progress', 'resolved'];
    const now = Date.now();
    for (let i = 0; i < 400; i++) {
      const status = statuses[i % statuses.length];
      const due = new Date(now + (((i * 37) % 200) - 120) * HOUR).toISOString();
      await dataSource.query(
        `INSERT INTO work_items (type, status, priority, call_id, source_seq, caller_number, desk, assignee, rule, created_at, due_at, updated_at)
         VALUES ('follow-up', $1, $2, $3, $4, '13800000005', $5, $6, 'rest', $7, $7, $7)`,
        [status, i % 3 ? 'normal' : 'high', `call-${i}`, i, i % 2 ? 'tech-desk' : 'billing-desk', i % 4 ? supervisor.sub : null, due],
      );
    }
  });

  afterAll(() => dataSource.destroy());

  it('has the three listing indexes and answers as one sort of the whole scope', async () => {
    const indexes = (await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'work_items' AND indexname LIKE '%listing'`)) as {
      indexname: string;
    }[];
    expect(indexes.map((i) => i.indexname).sort()).toEqual(['idx_work_items_assignee_listing', 'idx_work_items_desk_listing', 'idx_work_items_listing']);
    const reference = async (where: string, params: unknown[]) =>
      (
        (await dataSource.query(
          `SELECT id FROM work_items ${where} ORDER BY CASE WHEN status IN ('open', 'in-progress') AND due_at < $${params.length + 1} THEN 0 ELSE 1 END,
         CASE WHEN priority = 'high' THEN 0 ELSE 1 END, due_at, id LIMIT 200`,
          [...params, new Date().toISOString()],
        )) as { id: number }[]
      ).map((r) => Number(r.id));
    expect((await items.list(supervisor, { scope: 'team', done: true })).map((w) => w.id)).toEqual(await reference('', []));
    expect((await items.list(supervisor, { scope: 'desk', desk: 'tech-desk', done: true })).map((w) => w.id)).toEqual(
      await reference('WHERE desk = $1', ['tech-desk']),
    );
    expect((await items.list(supervisor, { scope: 'mine', done: true })).map((w) => w.id)).toEqual(await reference('WHERE assignee = $1', [supervisor.sub]));
  });
});
