import type { Logger } from '@nestjs/common';
import type { CallLog, CallRecord, LoggedEvent } from '../decision-log/decision-log';
import { chainEvents } from '../decision-log/hash-chain';
import { checkChainsLater } from './call-rebuild';

const record = (id: string): CallRecord => ({
  id,
  flowId: 'f',
  flowVersion: 1,
  agentId: 'a',
  callerNumber: '13800000001',
  status: 'active',
  outcome: null,
  outcomeDetail: null,
  state: 's2',
  currentFlowId: null,
  currentFlowVersion: null,
  seq: 2,
  startedAt: '2026-12-03T10:00:00.000Z',
  updatedAt: '2026-12-03T10:00:01.000Z',
  endedAt: null,
});
const event = (callId: string, seq: number): LoggedEvent => ({
  callId,
  seq,
  type: seq === 1 ? 'call.started' : 'decision',
  payload: { option: 'x', n: seq },
  agentId: 'a',
  flowId: 'f',
  flowVersion: 1,
  stateBefore: seq === 1 ? null : `s${seq - 1}`,
  flowIdAfter: null,
  flowVersionAfter: null,
  stateAfter: `s${seq}`,
  at: `2026-12-03T10:00:0${seq}.000Z`,
});
const log = (id: string): CallLog => ({ call: record(id), events: chainEvents([event(id, 1), event(id, 2)]) });
const nextTurns = (n: number) => Array.from({ length: n }).reduce<Promise<void>>((p) => p.then(() => new Promise((r) => setImmediate(r))), Promise.resolve());

describe('checkChainsLater (recovered calls: chains checked once the server serves)', () => {
  it('warns for exactly the calls whose chain is broken, after boot, across several turns', async () => {
    const logs = Array.from({ length: 450 }, (_, i) => log(`c${i}`));
    logs[7].events[1] = { ...logs[7].events[1], payload: { option: 'altered', n: 2 } };
    logs[420].events[0] = { ...logs[420].events[0], at: '2026-12-03T09:59:59.000Z' };
    const warn = jest.fn();
    checkChainsLater(logs, { warn } as unknown as Logger);
    expect(warn).not.toHaveBeenCalled(); // nothing on the boot path itself
    await nextTurns(4);
    expect(warn.mock.calls.map(([m]) => (m as string).split(' ')[3])).toEqual(['c7', 'c420']);
    expect(warn.mock.calls[0][0]).toContain('at seq 2');
    expect(warn.mock.calls[1][0]).toContain('at seq 1');
  });
});
