/**
 * Operations over the real server: the supervisors' live floor pushed over the WebSocket
 * (`floor.subscribe`, docs/PROTOCOL.md §13) while agents run calls on a slow back end, and the
 * floor's gauges in `GET /metrics` (the counters: prometheus-metrics.e2e-spec.ts).
 */
import { CallDriver, expectStep } from '../support/flow';
import { expectError, http, type Frame, type WsClient } from '../support/client';
import { parseMetrics } from '../support/prometheus-text';
import { useServer } from '../support/use-server';

const SIM_LATENCY_MS = 800;

/** The next pushed floor.snapshot (no requestId), consumed in order, until pred holds. */
async function floorUntil(client: WsClient, what: string, pred: (s: any) => boolean, timeoutMs = 8000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no floor.snapshot with ${what} within ${timeoutMs} ms`);
    const f = await client.next((x) => x.event === 'floor.snapshot' && x.data?.requestId === undefined, left, `floor.snapshot with ${what}`);
    if (pred(f.data)) return f.data;
  }
}

const callOf = (s: any, callId: string) => s.activeCalls.find((c: any) => c.callId === callId);

describe('live floor over a real WebSocket', () => {
  const server = useServer({ env: { SIM_LATENCY_MS: String(SIM_LATENCY_MS), BACKEND_TIMEOUT_MS: '120000', FLOOR_WAIT_ALERT_MS: '300' } });
  const connect = (user: string, locale?: string) => server.connect(user, locale);

  it('agents and QA are refused; the message is validated', async () => {
    const agent = await connect('agent1');
    expectError(await agent.request('floor.subscribe'), 'FORBIDDEN', 'agent floor.subscribe');
    expectError(await agent.request('floor.unsubscribe'), 'FORBIDDEN', 'agent floor.unsubscribe');
    const qa = await connect('qa1');
    expectError(await qa.request('floor.subscribe'), 'FORBIDDEN', 'qa floor.subscribe');
    const supervisor = await connect('supervisor1');
    const bad = expectError(await supervisor.request('floor.subscribe', { flowId: 'x' }), 'VALIDATION_FAILED');
    expect(JSON.stringify(bad.data.details)).toContain('property flowId should not exist');
    supervisor.send('floor.subscribe', {});
    const noId = await supervisor.next((f) => f.event === 'call.error');
    expect(noId.data).toEqual(expect.objectContaining({ requestId: null, code: 'VALIDATION_FAILED' }));
    // Nothing is pushed to a refused agent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(agent.history.filter((f) => f.event === 'floor.snapshot')).toEqual([]);
  });

  it('a supervisor sees calls appear, move, wait on the back end, alert and end', async () => {
    const supervisor = await connect('supervisor1', 'en');
    const agent1 = await connect('agent1', 'en');
    const agent2 = await connect('agent2', 'en');

    const first = await supervisor.request('floor.subscribe');
    expect(first.event).toBe('floor.snapshot');
    expect(Object.keys(first.data)).toEqual(['requestId', 'at', 'activeCalls', 'byBusiness', 'agentsOnline', 'waiting', 'alerts']);
    expect(first.data.agentsOnline).toEqual([
      { username: 'agent1', calls: 0 },
      { username: 'agent2', calls: 0 },
    ]);
    expect(first.data.activeCalls).toEqual([]);
    expect(first.data.alerts).toEqual([]);

    // agent1: a call appears at its first step, then moves.
    const d1 = new CallDriver(agent1);
    await d1.start('13800000001');
    let s = await floorUntil(supervisor, 'the first call', (x) => callOf(x, d1.callId)?.stepId === 'check-eligibility');
    expect(callOf(s, d1.callId)).toEqual({
      callId: d1.callId,
      agent: 'agent1',
      callerNumber: '13800000001',
      flowId: 'suspend-service',
      flowVersion: 2,
      stepId: 'check-eligibility',
      stepTitle: expect.any(String),
      since: expect.any(String),
    });
    expect(s.byBusiness).toEqual([
      {
        flowId: 'suspend-service',
        title: 'Suspend service',
        calls: 1,
        steps: [{ stepId: 'check-eligibility', title: expect.any(String), calls: 1 }],
      },
    ]);
    expect(s.agentsOnline).toEqual([
      { username: 'agent1', calls: 1 },
      { username: 'agent2', calls: 0 },
    ]);
    await d1.toUpsell();
    s = await floorUntil(supervisor, 'the first call at upsell', (x) => callOf(x, d1.callId)?.stepId === 'upsell');
    expect(s.waiting).toEqual([]);

    // agent2: the customer whose suspension never answers — waiting on the back end, then a wait alert.
    const d2 = new CallDriver(agent2);
    await d2.start('13800000006');
    await d2.toVerify();
    await d2.verifyByPassword();
    await d2.decide('execute', undefined, 'executing');
    s = await floorUntil(supervisor, 'the second call waiting', (x) =>
      x.waiting.some((w: any) => w.callId === d2.callId && w.operation === 'executeSuspension'),
    );
    expect(s.waiting).toEqual([{ callId: d2.callId, operation: 'executeSuspension', waitingMs: expect.any(Number) }]);
    expect(callOf(s, d2.callId)).toEqual(
      expect.objectContaining({ stepId: 'executing', waitingOn: { operation: 'executeSuspension', sinceMs: expect.any(Number) } }),
    );
    expect(s.byBusiness[0].calls).toBe(2);
    s = await floorUntil(supervisor, 'a wait alert', (x) => x.alerts.some((a: any) => a.stepId === 'executing'));
    expect(s.alerts).toEqual([
      {
        kind: 'wait',
        flowId: 'suspend-service',
        stepId: 'executing',
        value: expect.any(Number),
        threshold: 300,
        since: expect.any(String),
      },
    ]);
    expect(s.alerts[0].value).toBeGreaterThanOrEqual(300);
    expect(s.waiting[0].waitingMs).toBeGreaterThanOrEqual(300);

    // The caller hangs up: the wait and its alert go; agent1 finishes: the floor is empty again.
    expectStep(d2.view, 'executing');
    await agent2.request('call.hangup', { callId: d2.callId });
    s = await floorUntil(supervisor, 'the second call gone', (x) => !callOf(x, d2.callId));
    expect(s.waiting).toEqual([]);
    expect(s.alerts).toEqual([]);
    await d1.decide('decline', undefined, 'verify');
    await d1.verifyByPassword();
    await d1.executeToRemind();
    await d1.finishFromRemind();
    s = await floorUntil(supervisor, 'no calls', (x) => x.activeCalls.length === 0);
    expect(s.byBusiness).toEqual([]);
    expect(s.agentsOnline).toEqual([
      { username: 'agent1', calls: 0 },
      { username: 'agent2', calls: 0 },
    ]);

    // An agent going offline changes the floor too.
    await agent2.close();
    s = await floorUntil(supervisor, 'agent2 offline', (x) => x.agentsOnline.length === 1);
    expect(s.agentsOnline).toEqual([{ username: 'agent1', calls: 0 }]);

    // Pushes: never two within a second; when nothing changes, a heartbeat within 5 s.
    const pushes = supervisor.history.filter((f) => f.event === 'floor.snapshot' && f.data.requestId === undefined).map((f) => Date.parse(f.data.at));
    for (let i = 1; i < pushes.length; i++) expect(pushes[i] - pushes[i - 1]).toBeGreaterThanOrEqual(950);
    const beat = await floorUntil(supervisor, 'a heartbeat', () => true, 7000);
    // Timed on the server's clock (this side's stalls and the socket are not the floor's): not before
    // 5 s of quiet, and on one of its 250 ms ticks soon after (with room for a loaded machine's lag).
    const quiet = Date.parse(beat.at) - Math.max(...pushes.filter((at) => at < Date.parse(beat.at)));
    expect(quiet).toBeGreaterThanOrEqual(5000);
    expect(quiet).toBeLessThanOrEqual(6000);
    expect(beat.activeCalls).toEqual([]);

    // Unsubscribed: no more pushes.
    const bye = await supervisor.request('floor.unsubscribe');
    expect(bye).toEqual({ event: 'floor.unsubscribed', data: { requestId: bye.data.requestId } });
    const before = supervisor.history.length;
    await new Promise((r) => setTimeout(r, 5500));
    expect(supervisor.history.slice(before).filter((f: Frame) => f.event === 'floor.snapshot')).toEqual([]);
  }, 90_000);

  it('GET /metrics is open without METRICS_TOKEN; the gauges match the floor', async () => {
    const supervisor = await connect('supervisor1');
    const agent = await connect('agent1');
    const d = new CallDriver(agent);
    await d.start('13800000001');
    const res = await http(server.baseUrl, 'GET', '/metrics');
    expect(res.status).toBe(200);
    const m = parseMetrics(res.text);
    const floor = (await supervisor.request('floor.subscribe')).data;
    expect(m.get('laihua_calls_active')).toBe(floor.activeCalls.length);
    expect(m.get('laihua_ws_connections')).toBe(2);
    await agent.request('call.hangup', { callId: d.callId });
  });

  it("titles follow the subscriber's locale", async () => {
    const zh = await connect('supervisor1', 'zh-CN');
    const agent = await connect('agent1');
    const d = new CallDriver(agent);
    await d.start('13800000001');
    const reply = await zh.request('floor.subscribe');
    expect(callOf(reply.data, d.callId)).toEqual(expect.objectContaining({ stepId: 'check-eligibility' }));
    expect(reply.data.byBusiness[0].title).toBe('停机');
    await agent.request('call.hangup', { callId: d.callId });
  });
});

describe('failure-rate alert over a real WebSocket', () => {
  // Low enough that one failed suspension among the step's last 3 replies alerts (1/3 ≥ 0.3) and among 4 does not (0.25).
  const THRESHOLD = 0.3;
  const server = useServer({
    env: { SIM_LATENCY_MS: '20', BACKEND_TIMEOUT_MS: '120000', FLOOR_FAILURE_RATE_ALERT: String(THRESHOLD) },
    locale: 'en',
  });
  const connect = (user: string) => server.connect(user);
  const failureAlerts = (s: any) => s.alerts.filter((a: any) => a.kind === 'failure-rate');

  it('names the step whose back end fails, with its rate, while healthy steps stay quiet; it clears when the rate drops', async () => {
    const supervisor = await connect('supervisor1');
    const agent = await connect('agent1');
    expect(failureAlerts((await supervisor.request('floor.subscribe')).data)).toEqual([]);

    // A healthy call: the IVR check and the suspension both answer — no alert for either step.
    const healthy = async () => {
      const d = new CallDriver(agent);
      await d.suspendFully('13800000001');
      return d.callId;
    };
    const first = await healthy();
    let s = await floorUntil(supervisor, 'the healthy call gone', (x) => !callOf(x, first), 15_000);
    expect(failureAlerts(s)).toEqual([]);

    // The BOSS is down for 13800000005: the suspension fails at `executing` (its IVR check still passes).
    const failing = new CallDriver(agent);
    await failing.suspensionFails('13800000005');
    s = await floorUntil(supervisor, 'a failure-rate alert', (x) => failureAlerts(x).length > 0, 15_000);
    // executing: 1 failed of 2 replies; checking-password: 0 of 2 — only executing alerts.
    expect(failureAlerts(s)).toEqual([
      { kind: 'failure-rate', flowId: 'suspend-service', stepId: 'executing', value: 0.5, threshold: THRESHOLD, since: expect.any(String) },
    ]);
    const since = failureAlerts(s)[0].since;
    await agent.request('call.hangup', { callId: failing.callId });

    // Another healthy suspension: 1 of 3 failed, still at the threshold — the same alert (same since), its rate updated.
    await healthy();
    s = await floorUntil(supervisor, 'the rate at 1/3', (x) => failureAlerts(x).some((a: any) => a.value !== 0.5), 15_000);
    expect(failureAlerts(s)).toEqual([{ kind: 'failure-rate', flowId: 'suspend-service', stepId: 'executing', value: 0.333, threshold: THRESHOLD, since }]);

    // And one more: 1 of 4 (0.25) is under the threshold — the alert clears.
    await healthy();
    s = await floorUntil(supervisor, 'the alert cleared', (x) => failureAlerts(x).length === 0, 15_000);
    expect(s.alerts).toEqual([]);
  }, 120_000);
});
