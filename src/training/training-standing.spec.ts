import type { DataSource } from 'typeorm';
import type { Certification } from '../../protocol/training';
import { sqliteHandle } from '../common/sqlite-handle';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { LISTED_RESULTS, Training } from './training.service';

const REQUIRED = 2;
const FLOWS = ['top-up', 'plan-change', 'bill-inquiry'];

describe('a training standing: the newest calls listed, every call counted for certifications', () => {
  let dataSource: DataSource;
  let training: Training;
  const trainees = ['u-b', 'u-a', 'u-c'];
  const calls: { callId: string; traineeId: string; flowId: string; startedAt: string; passed: number | null }[] = [];

  beforeAll(async () => {
    ({ dataSource } = await openTestDatabase());
    // Only the standing's dependencies: the store and the rule.
    training = Object.assign(Object.create(Training.prototype) as Training, { dataSource, config: { TRAINING_CERTIFY_AFTER: REQUIRED } });
    const db = sqliteHandle(dataSource);
    const user = db.prepare(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'agent', '2026-01-01T00:00:00.000Z')`);
    trainees.forEach((id) => user.run(id, `trainee-${id.slice(2)}`));
    const insert = db.prepare(
      `INSERT INTO training_calls (call_id, trainee_id, flow_id, scenario_id, started_at, ended_at, score, passed) VALUES (?, ?, ?, 's1', ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 1_300; i++) {
        // The oldest calls are the passes of u-a on top-up: the newest 500 alone would not certify them.
        const traineeId = i < 3 ? 'u-a' : trainees[i % 3];
        const flowId = i < 3 ? 'top-up' : FLOWS[(i * 7) % 3];
        const passed = i < 3 ? 1 : i % 11 === 0 ? null : i % 4 === 0 ? 1 : 0;
        const startedAt = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 3_600_000).toISOString();
        calls.push({ callId: `t-${i}`, traineeId, flowId, startedAt, passed });
        insert.run(`t-${i}`, traineeId, flowId, startedAt, passed === null ? null : startedAt, passed === null ? null : 90, passed);
      }
    })();
  });

  afterAll(() => dataSource.destroy());

  /** What the standing answered before: certifications counted from every call. */
  const referenceCertifications = (traineeId: string | null): Certification[] => {
    const byKey = new Map<string, Certification>();
    for (const c of calls.filter((c) => !traineeId || c.traineeId === traineeId)) {
      const key = `${c.traineeId} ${c.flowId}`;
      const cert = byKey.get(key) ?? {
        traineeId: c.traineeId,
        trainee: `trainee-${c.traineeId.slice(2)}`,
        flowId: c.flowId,
        passed: 0,
        required: REQUIRED,
        certified: false,
      };
      if (c.passed) cert.passed++;
      cert.certified = cert.passed >= REQUIRED;
      byKey.set(key, cert);
    }
    return [...byKey.values()].sort((a, b) => a.trainee.localeCompare(b.trainee) || a.flowId.localeCompare(b.flowId));
  };

  it('lists the newest LISTED_RESULTS calls, newest first, and certifies from every call ever', async () => {
    const all = await training.standing(null);
    expect(all.results).toHaveLength(LISTED_RESULTS);
    expect(all.results.map((r) => r.callId)).toEqual(
      [...calls]
        .reverse()
        .slice(0, LISTED_RESULTS)
        .map((c) => c.callId),
    );
    expect(all.certifications).toEqual(referenceCertifications(null));
    const mine = await training.standing('u-a');
    expect(mine.results.every((r) => r.traineeId === 'u-a' && r.trainee === 'trainee-a')).toBe(true);
    expect(mine.certifications).toEqual(referenceCertifications('u-a'));
  });

  it('reads the newest calls in the order of an index, not a sort of every training call', () => {
    const plan = (
      sqliteHandle(dataSource).prepare(`EXPLAIN QUERY PLAN SELECT * FROM training_calls ORDER BY started_at DESC LIMIT ${LISTED_RESULTS}`).all() as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/USING INDEX idx_training_calls_started/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
