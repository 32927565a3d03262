import type { DataSource } from 'typeorm';
import { openTestDatabase } from '../testing/sqlite-data-source';
import type { CallRecord, LoggedEvent } from './decision-log';
import { SqliteDecisionLog } from './sqlite-decision-log';

const call = (id: string, seq: number): CallRecord => ({
  id, flowId: 'f', flowVersion: 1, agentId: 'a', callerNumber: '13800000001', status: 'active', outcome: null,
  outcomeDetail: null, state: `s${seq}`, currentFlowId: 'f', currentFlowVersion: 1, seq, startedAt: '2026-11-23T08:00:00.000Z', updatedAt: '2026-11-23T08:00:00.000Z', endedAt: null,
});
const event = (callId: string, seq: number): LoggedEvent => ({
  callId, seq, type: seq === 1 ? 'call.started' : 'decision', payload: { option: 'x', n: seq }, agentId: 'a', flowId: 'f',
  flowVersion: 1, stateBefore: seq === 1 ? null : `s${seq - 1}`, flowIdAfter: 'f', flowVersionAfter: 1, stateAfter: `s${seq}`, at: '2026-11-23T08:00:00.000Z',
});

describe('SqliteDecisionLog', () => {
  let dataSource: DataSource;
  let log: SqliteDecisionLog;

  beforeEach(async () => {
    ({ dataSource } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
  });
  afterEach(() => dataSource.destroy());

  it('has the event and the call summary committed when append resolves', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    expect(await log.events('c1')).toEqual([event('c1', 1)]);
    expect(await log.findCall('c1')).toMatchObject({ id: 'c1', seq: 1, state: 's1', status: 'active' });
  });

  it('commits concurrent appends together (group commit)', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(event(`c${i}`, 1), call(`c${i}`, 1))));
    expect(log.batchesCommitted).toBe(1);
    expect(await log.activeCalls()).toHaveLength(100);
  });

  it('fails only the bad append of a batch', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    const results = await Promise.allSettled([
      log.append(event('c1', 2), call('c1', 2)),
      log.append(event('c1', 1), call('c1', 1)), // duplicate seq
      log.append(event('c2', 1), call('c2', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await log.events('c1')).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('is append-only: the database refuses edits and deletes of logged events', async () => {
    await log.append(event('c1', 1), call('c1', 1));
    await expect(dataSource.query(`UPDATE call_events SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM call_events`)).rejects.toThrow(/append-only/);
  });
});
