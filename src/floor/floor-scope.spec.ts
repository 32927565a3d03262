import { scopeSnapshot } from './floor-scope';
import type { FloorSnapshot } from './floor-snapshot';

const call = (callId: string, agent: string, flowId: string, stepId: string) => ({
  callId,
  agent,
  callerNumber: '138****0001',
  flowId,
  flowVersion: 1,
  stepId,
  stepTitle: stepId,
  since: '2026-01-01T00:00:00.000Z',
});

const snapshot: FloorSnapshot = {
  at: '2026-01-01T00:00:01.000Z',
  activeCalls: [call('c1', 'north1', 'suspend', 'verify'), call('c2', 'south1', 'suspend', 'verify'), call('c3', 'south1', 'bill', 'explain')],
  byBusiness: [
    { flowId: 'suspend', title: 'Suspend', calls: 2, steps: [{ stepId: 'verify', title: 'Verify', calls: 2 }] },
    { flowId: 'bill', title: 'Bill', calls: 1, steps: [{ stepId: 'explain', title: 'Explain', calls: 1 }] },
  ],
  agentsOnline: [
    { username: 'north1', calls: 1 },
    { username: 'south1', calls: 2 },
  ],
  waiting: [
    { callId: 'c1', operation: 'suspend', waitingMs: 10 },
    { callId: 'c2', operation: 'suspend', waitingMs: 20 },
  ],
  alerts: [{ kind: 'wait', flowId: 'suspend', stepId: 'verify', value: 20, threshold: 10, since: '2026-01-01T00:00:00.000Z' }],
};

describe("a supervisor's view of the floor", () => {
  it('all teams: the snapshot itself', () => {
    expect(scopeSnapshot(snapshot, null)).toBe(snapshot);
  });

  it("some teams: only their agents' calls, online agents and waits, counts recounted, step alerts kept", () => {
    const north = scopeSnapshot(snapshot, (u) => u.startsWith('north'));
    expect(north.activeCalls.map((c) => c.callId)).toEqual(['c1']);
    expect(north.agentsOnline).toEqual([{ username: 'north1', calls: 1 }]);
    expect(north.waiting.map((w) => w.callId)).toEqual(['c1']);
    expect(north.byBusiness).toEqual([{ flowId: 'suspend', title: 'Suspend', calls: 1, steps: [{ stepId: 'verify', title: 'Verify', calls: 1 }] }]);
    expect(north.alerts).toEqual(snapshot.alerts);
  });

  it('no team seen: an empty floor (alerts aside)', () => {
    const none = scopeSnapshot(snapshot, () => false);
    expect([none.activeCalls, none.agentsOnline, none.waiting, none.byBusiness]).toEqual([[], [], [], []]);
  });
});
