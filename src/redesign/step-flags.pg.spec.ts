import type { DataSource } from 'typeorm';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { LISTED_FLAGS, StepFlags } from './step-flags.store';

describe('step flags of a business (PostgreSQL): the newest listed oldest first, every one counted', () => {
  let dataSource: DataSource;
  let flags: StepFlags;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    flags = new StepFlags(dataSource);
    await dataSource.query(
      `INSERT INTO step_flags (source, flow_id, flow_version, step_id, reason, text, call_id, call_seq, actor, at)
       SELECT 'qa', 'top-up', 1 + i % 2, 'step-' || (i % 3), 'too-slow', 'x', 'call-' || i, 1, 'qa1', '2026-01-01T00:00:00.000Z' FROM generate_series(1, $1) AS i`,
      [LISTED_FLAGS + 10],
    );
  });

  afterAll(() => dataSource.destroy());

  it('lists the newest LISTED_FLAGS, oldest first, and counts all of them', async () => {
    const listed = await flags.ofFlow('top-up');
    expect(listed).toHaveLength(LISTED_FLAGS);
    expect(listed.map((f) => f.callId)).toEqual(Array.from({ length: LISTED_FLAGS }, (_, i) => `call-${i + 11}`));
    const counts = await flags.countsOf('top-up');
    expect(counts.reduce((n, c) => n + (c.count ?? 0), 0)).toBe(LISTED_FLAGS + 10);
  });
});
