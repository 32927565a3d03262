import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { LISTED_SCORECARDS, Scorecards } from './scorecards.service';

const agent: AuthUser = { sub: 'agent-a', username: 'agent-a', role: 'agent' };

describe("an agent's own scorecards: the newest, from an index", () => {
  let dataSource: DataSource;
  let scorecards: Scorecards;

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    // Only the listing's dependency: the store.
    scorecards = Object.assign(Object.create(Scorecards.prototype) as Scorecards, { dataSource });
    const insert = sqliteHandle(dataSource).prepare(
      `INSERT INTO scorecards (id, call_id, agent_id, reviewer, form_version, marks, score, total, comment, revision, created_at, updated_at)
       VALUES (?, ?, ?, 'qa1', 1, '{}', '{}', 80, NULL, 1, ?, ?)`,
    );
    sqliteHandle(dataSource).transaction(() => {
      for (let i = 0; i < LISTED_SCORECARDS + 200; i++) {
        // Updated out of creation order: the newest by update are not the last inserted.
        const updatedAt = new Date(Date.parse('2026-01-01T00:00:00.000Z') + ((i * 37) % 997) * 3_600_000 + i).toISOString();
        insert.run(`s-${i}`, `call-${i}`, i % 4 ? agent.sub : 'agent-b', updatedAt, updatedAt);
      }
    })();
  });

  afterAll(() => dataSource.destroy());

  it('lists the newest LISTED_SCORECARDS by update, newest first, the agent’s only', async () => {
    const expected = sqliteHandle(dataSource)
      .prepare(`SELECT id FROM scorecards WHERE agent_id = ? ORDER BY updated_at DESC`)
      .pluck()
      .all(agent.sub) as string[];
    expect(expected.length).toBeGreaterThan(LISTED_SCORECARDS);
    const mine = await scorecards.mine(agent);
    expect(mine.map((s) => s.id)).toEqual(expected.slice(0, LISTED_SCORECARDS));
  });

  it('reads them in the order of an index, not a sort of every scorecard of a career', () => {
    const plan = (
      sqliteHandle(dataSource)
        .prepare(`EXPLAIN QUERY PLAN SELECT * FROM scorecards WHERE agent_id = ? ORDER BY updated_at DESC LIMIT ${LISTED_SCORECARDS}`)
        .all(agent.sub) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/USING INDEX idx_scorecards_agent_updated/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
