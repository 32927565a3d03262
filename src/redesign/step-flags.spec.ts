import type { DataSource } from 'typeorm';
import type { FlagReason, StepFlag } from '../../protocol/redesign';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { rankBacklog, type StepNumbers } from './backlog-ranking';
import { LISTED_FLAGS, StepFlags } from './step-flags.store';

const REASONS: FlagReason[] = ['script-unclear', 'too-slow', 'missing-option'];

describe('step flags of a business: the newest listed, every one counted for the backlog', () => {
  let dataSource: DataSource;
  let flags: StepFlags;

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    flags = new StepFlags(dataSource);
    const insert = sqliteHandle(dataSource).prepare(
      `INSERT INTO step_flags (source, flow_id, flow_version, step_id, reason, text, call_id, call_seq, actor, at) VALUES ('qa', ?, ?, ?, ?, 'x', ?, 1, 'qa1', ?)`,
    );
    sqliteHandle(dataSource).transaction(() => {
      for (let i = 0; i < LISTED_FLAGS + 300; i++) {
        const at = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString();
        insert.run(i % 5 === 0 ? 'other' : 'top-up', 1 + (i % 2), `step-${i % 7}`, REASONS[i % 3], `call-${i}`, at);
      }
    })();
  });

  afterAll(() => dataSource.destroy());

  const everyFlag = (): StepFlag[] =>
    sqliteHandle(dataSource)
      .prepare(`SELECT id, flow_version AS version, step_id AS "stepId", reason FROM step_flags WHERE flow_id = 'top-up' ORDER BY id`)
      .all() as StepFlag[];

  it('lists the newest LISTED_FLAGS flags of the business, oldest first, from an index', async () => {
    const all = everyFlag();
    expect(all.length).toBeGreaterThan(LISTED_FLAGS);
    const listed = await flags.ofFlow('top-up');
    expect(listed.map((f) => f.id)).toEqual(all.slice(-LISTED_FLAGS).map((f) => f.id));
    expect(listed.every((f) => f.flowId === 'top-up')).toBe(true);
    const plan = (
      sqliteHandle(dataSource)
        .prepare(`EXPLAIN QUERY PLAN SELECT * FROM (SELECT id FROM step_flags WHERE flow_id = ? ORDER BY id DESC LIMIT ${LISTED_FLAGS}) AS newest ORDER BY id`)
        .all('top-up') as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SEARCH step_flags USING (COVERING )?INDEX idx_step_flags_flow_id \(flow_id=\?\)/);
  });

  it('counts every flag by version, step and reason: the backlog ranks as from every flag', async () => {
    const numbers: StepNumbers[] = [1, 2].flatMap((version) =>
      Array.from({ length: 7 }, (_, s) => ({ version, stepId: `step-${s}`, visits: 100, failures: s, waitMs: 0 })),
    );
    const counts = await flags.countsOf('top-up');
    expect(counts.reduce((n, c) => n + (c.count ?? 1), 0)).toBe(everyFlag().length);
    expect(rankBacklog('top-up', numbers, counts, 2, () => 10)).toEqual(rankBacklog('top-up', numbers, everyFlag(), 2, () => 10));
  });
});
