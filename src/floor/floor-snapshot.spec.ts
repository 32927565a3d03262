import {
  alertKey,
  buildFloorSnapshot,
  DEFAULT_THRESHOLDS,
  LOCK_ALERT_MS,
  type FloorCallInput,
  type FloorInput,
  floorSignature,
  failureRate,
  type StepOutcome,
  stepKey,
} from './floor-snapshot';

const NOW = Date.parse('2025-06-03T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const call = (over: Partial<FloorCallInput> = {}): FloorCallInput => ({
  callId: 'c1',
  agentId: 'a1',
  callerNumber: '13800000001',
  flowId: 'suspend-service',
  flowVersion: 1,
  flowTitle: 'Suspend service',
  stepId: 'warn',
  stepTitle: 'Warnings',
  since: iso(NOW - 20_000),
  ...over,
});

const input = (over: Partial<FloorInput> = {}): FloorInput => ({
  now: NOW,
  calls: [],
  agentSessions: [],
  usernameOf: (id) => ({ a1: 'agent1', a2: 'agent2' })[id],
  outcomes: new Map(),
  thresholds: DEFAULT_THRESHOLDS,
  alertSince: new Map(),
  ...over,
});

const outcomes = (...oks: boolean[]): StepOutcome[] => oks.map((ok, i) => ({ ok, at: NOW - 60_000 + i * 1000 }));

describe('buildFloorSnapshot', () => {
  it('an empty floor', () => {
    const { snapshot, alertSince } = buildFloorSnapshot(input());
    expect(snapshot).toEqual({ at: iso(NOW), activeCalls: [], byBusiness: [], agentsOnline: [], waiting: [], alerts: [] });
    expect(alertSince.size).toBe(0);
  });

  it('lists active calls oldest first, with the agent by name and the back-end wait', () => {
    const { snapshot } = buildFloorSnapshot(
      input({
        calls: [
          call({
            callId: 'c2',
            agentId: 'a2',
            since: iso(NOW - 1000),
            stepId: 'executing',
            stepTitle: 'Back end working',
            waitingOn: { operation: 'executeSuspension', since: NOW - 1200 },
          }),
          call({ callId: 'c1', agentId: 'a1' }),
          call({ callId: 'c3', agentId: 'gone' }),
        ],
      }),
    );
    expect(snapshot.activeCalls.map((c) => c.callId)).toEqual(['c1', 'c3', 'c2']);
    expect(snapshot.activeCalls[0]).toEqual({
      callId: 'c1',
      agent: 'agent1',
      callerNumber: '13800000001',
      flowId: 'suspend-service',
      flowVersion: 1,
      stepId: 'warn',
      stepTitle: 'Warnings',
      since: iso(NOW - 20_000),
    });
    expect(snapshot.activeCalls[1].agent).toBe('gone'); // unknown owner: shown by id
    expect(snapshot.activeCalls[2].waitingOn).toEqual({ operation: 'executeSuspension', sinceMs: 1200 });
    expect(snapshot.waiting).toEqual([{ callId: 'c2', operation: 'executeSuspension', waitingMs: 1200 }]);
  });

  it('groups calls by business and step, busiest first', () => {
    const { snapshot } = buildFloorSnapshot(
      input({
        calls: [
          call({ callId: 'c1', stepId: 'warn' }),
          call({ callId: 'c2', stepId: 'verify', stepTitle: 'Verify' }),
          call({ callId: 'c3', stepId: 'verify', stepTitle: 'Verify' }),
          call({ callId: 'c4', flowId: 'query-bill', flowTitle: 'Bill query', stepId: 'ask', stepTitle: 'Ask' }),
        ],
      }),
    );
    expect(snapshot.byBusiness).toEqual([
      {
        flowId: 'suspend-service',
        title: 'Suspend service',
        calls: 3,
        steps: [
          { stepId: 'verify', title: 'Verify', calls: 2 },
          { stepId: 'warn', title: 'Warnings', calls: 1 },
        ],
      },
      { flowId: 'query-bill', title: 'Bill query', calls: 1, steps: [{ stepId: 'ask', title: 'Ask', calls: 1 }] },
    ]);
  });

  it('agents online are agent sessions, one per agent, with their live call count', () => {
    const { snapshot } = buildFloorSnapshot(
      input({
        calls: [call({ callId: 'c1', agentId: 'a2' }), call({ callId: 'c2', agentId: 'a2' }), call({ callId: 'c3', agentId: 'a9' })],
        agentSessions: [
          { agentId: 'a2', username: 'agent2' },
          { agentId: 'a1', username: 'agent1' },
          { agentId: 'a2', username: 'agent2' },
        ],
      }),
    );
    expect(snapshot.agentsOnline).toEqual([
      { username: 'agent1', calls: 0 },
      { username: 'agent2', calls: 2 },
    ]);
  });

  describe('wait alerts', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, waitMs: 300 };
    it('not below the threshold', () => {
      const { snapshot } = buildFloorSnapshot(input({ thresholds, calls: [call({ waitingOn: { operation: 'op', since: NOW - 299 } })] }));
      expect(snapshot.alerts).toEqual([]);
    });

    it('one per step at the threshold and above: the longest wait, raised when it crossed', () => {
      const { snapshot, alertSince } = buildFloorSnapshot(
        input({
          thresholds,
          calls: [
            call({ callId: 'c1', stepId: 'executing', waitingOn: { operation: 'executeSuspension', since: NOW - 300 } }),
            call({ callId: 'c2', stepId: 'executing', waitingOn: { operation: 'executeSuspension', since: NOW - 2000 } }),
            call({ callId: 'c3', stepId: 'checking-password', waitingOn: { operation: 'checkIvrPassword', since: NOW - 100 } }),
          ],
        }),
      );
      expect(snapshot.alerts).toEqual([
        { kind: 'wait', flowId: 'suspend-service', stepId: 'executing', value: 2000, threshold: 300, since: iso(NOW - 2000 + 300) },
      ]);
      expect(alertSince.get(alertKey('wait', 'suspend-service', 'executing'))).toBe(NOW - 1700);
    });
  });

  describe('failure-rate alerts', () => {
    const key = stepKey('suspend-service', 'executing');

    it('failureRate counts the last N replies within the window', () => {
      const t = { window: 10, windowMs: 600_000 };
      expect(failureRate([], NOW, t)).toBeNull();
      expect(failureRate(outcomes(false, true), NOW, t)).toEqual({ rate: 0.5, replies: 2 });
      // 12 replies: only the last 10 count (the 2 old failures drop out).
      expect(failureRate(outcomes(false, false, ...Array(10).fill(true)), NOW, t)).toEqual({ rate: 0, replies: 10 });
      // Older than 10 minutes: not counted.
      expect(
        failureRate(
          [
            { ok: false, at: NOW - 600_001 },
            { ok: true, at: NOW - 1000 },
          ],
          NOW,
          t,
        ),
      ).toEqual({ rate: 0, replies: 1 });
    });

    it('raised at the threshold (0.5 by default), not below', () => {
      const below = buildFloorSnapshot(input({ outcomes: new Map([[key, outcomes(false, true, true)]]) }));
      expect(below.snapshot.alerts).toEqual([]);
      const at = buildFloorSnapshot(input({ outcomes: new Map([[key, outcomes(false, true)]]) }));
      expect(at.snapshot.alerts).toEqual([
        { kind: 'failure-rate', flowId: 'suspend-service', stepId: 'executing', value: 0.5, threshold: 0.5, since: iso(NOW) },
      ]);
    });

    it('keeps the time it was first raised while it lasts, and forgets it once it clears', () => {
      const first = buildFloorSnapshot(input({ now: NOW, outcomes: new Map([[key, outcomes(false, false, true)]]) }));
      const later = buildFloorSnapshot(input({ now: NOW + 5000, outcomes: new Map([[key, outcomes(false, false, true)]]), alertSince: first.alertSince }));
      expect(later.snapshot.alerts[0]).toEqual(expect.objectContaining({ kind: 'failure-rate', value: 0.667, since: iso(NOW) }));
      const cleared = buildFloorSnapshot(
        input({ now: NOW + 6000, outcomes: new Map([[key, outcomes(false, ...Array(9).fill(true))]]), alertSince: later.alertSince }),
      );
      expect(cleared.snapshot.alerts).toEqual([]);
      expect(cleared.alertSince.size).toBe(0);
    });

    it('honours a configured threshold', () => {
      const thresholds = { ...DEFAULT_THRESHOLDS, failureRate: 0.2 };
      const { snapshot } = buildFloorSnapshot(input({ thresholds, outcomes: new Map([[key, outcomes(false, true, true, true, true)]]) }));
      expect(snapshot.alerts.map((a) => [a.kind, a.value, a.threshold])).toEqual([['failure-rate', 0.2, 0.2]]);
    });
  });

  it('raises a verification-locked alert per step for checks refused in the last 15 minutes', () => {
    const { snapshot } = buildFloorSnapshot(
      input({
        locks: [
          { flowId: 'suspend-service', stepId: 'checking-document', at: NOW - 60_000 },
          { flowId: 'suspend-service', stepId: 'checking-document', at: NOW - 1_000 },
          { flowId: 'suspend-service', stepId: 'checking-password', at: NOW - LOCK_ALERT_MS - 1 },
        ],
      }),
    );
    expect(snapshot.alerts).toEqual([
      { kind: 'verification-locked', flowId: 'suspend-service', stepId: 'checking-document', value: 2, threshold: 1, since: iso(NOW - 60_000) },
    ]);
  });

  it('the signature ignores the clock but not a step change, a new wait or an alert', () => {
    const base = input({ calls: [call({ waitingOn: { operation: 'op', since: NOW - 100 } })] });
    const a = buildFloorSnapshot(base).snapshot;
    const b = buildFloorSnapshot({ ...base, now: NOW + 1000 }).snapshot;
    expect(floorSignature(a)).toBe(floorSignature(b));
    const moved = buildFloorSnapshot({ ...base, calls: [call({ stepId: 'verify' })] }).snapshot;
    expect(floorSignature(moved)).not.toBe(floorSignature(a));
    const alerted = buildFloorSnapshot({ ...base, now: NOW + 10_000 }).snapshot;
    expect(alerted.alerts).toHaveLength(1);
    expect(floorSignature(alerted)).not.toBe(floorSignature(a));
  });
});
