import type { DataSource } from 'typeorm';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { Training } from './training.service';

describe('a training standing (PostgreSQL): certifications from the aggregate over a boolean column', () => {
  let dataSource: DataSource;
  let training: Training;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    training = Object.assign(Object.create(Training.prototype) as Training, { dataSource, config: { TRAINING_CERTIFY_AFTER: 2 } });
    const rows: [string, string, boolean | null][] = [
      ['u-a', 'top-up', true],
      ['u-a', 'top-up', true],
      ['u-a', 'plan-change', false],
      ['u-b', 'top-up', null],
      ['u-b', 'top-up', true],
    ];
    for (const [i, [trainee, flow, passed]] of rows.entries()) {
      await dataSource.query(`INSERT INTO training_calls (call_id, trainee_id, flow_id, scenario_id, started_at, passed) VALUES ($1, $2, $3, 's1', $4, $5)`, [
        `t-${i}`,
        trainee,
        flow,
        new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString(),
        passed,
      ]);
    }
  });

  afterAll(() => dataSource.destroy());

  it('counts the passes per trainee and business, and lists the calls newest first', async () => {
    const { results, certifications } = await training.standing(null);
    expect(results.map((r) => r.callId)).toEqual(['t-4', 't-3', 't-2', 't-1', 't-0']);
    expect(certifications).toEqual([
      { traineeId: 'u-a', trainee: 'u-a', flowId: 'plan-change', passed: 0, required: 2, certified: false },
      { traineeId: 'u-a', trainee: 'u-a', flowId: 'top-up', passed: 2, required: 2, certified: true },
      { traineeId: 'u-b', trainee: 'u-b', flowId: 'top-up', passed: 1, required: 2, certified: false },
    ]);
  });
});
