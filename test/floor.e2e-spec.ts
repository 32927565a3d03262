/**
 * Operations over the real server: the supervisors' live floor pushed over the WebSocket
 * (`floor.subscribe`, docs/PROTOCOL.md §13) while agents run calls on a slow back end, and the
 * Prometheus `GET /metrics` moving with real decisions (docs/OPERATIONS.md).
 */
import { CallDriver, expectStep } from './support/flow';
import { expectError, http, login, startServer, WsClient, type Frame, type TestServer } from './support/server';

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

/** Prometheus text → { 'name{labels}': value } (labels as printed by prom-client). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('live floor over a real WebSocket', () => {
  let server: TestServer;
  const clients: WsClient[] = [];
  const connect = async (user: string, locale?: string) => {
    const c = await WsClient.connect(server.port, await login(server.baseUrl, user), locale);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer({ env: { SIM_LATENCY_MS: String(SIM_LATENCY_MS), BACKEND_TIMEOUT_MS: '120000', FLOOR_WAIT_ALERT_MS: '300' } });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    if (server) {
      await server.stop();
      server.cleanup();
    }
  });

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
      flowVersion: 1,
      stepId: 'check-eligibility',
      stepTitle: expect.any(String),
      since: expect.any(String),
    });
    expect(s.byBusiness).toEqual([
      { flowId: 'suspend-service', title: 'Suspend service', calls: 1, steps: [{ stepId: 'check-eligibility', title: expect.any(String), calls: 1 }] },
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
      { kind: 'wait', flowId: 'suspend-service', stepId: 'executing', value: expect.any(Number), threshold: 300, since: expect.any(String) },
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
    const quietFrom = Date.now();
    const beat = await floorUntil(supervisor, 'a heartbeat', () => true, 7000);
    expect(Date.now() - quietFrom).toBeLessThanOrEqual(5500);
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
  let server: TestServer;
  const clients: WsClient[] = [];
  const connect = async (user: string) => {
    const c = await WsClient.connect(server.port, await login(server.baseUrl, user), 'en');
    clients.push(c);
    return c;
  };
  const failureAlerts = (s: any) => s.alerts.filter((a: any) => a.kind === 'failure-rate');

  beforeAll(async () => {
    server = await startServer({ env: { SIM_LATENCY_MS: '20', BACKEND_TIMEOUT_MS: '120000', FLOOR_FAILURE_RATE_ALERT: String(THRESHOLD) } });
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    if (server) {
      await server.stop();
      server.cleanup();
    }
  });

  it('names the step whose back end fails, with its rate, while healthy steps stay quiet; it clears when the rate drops', async () => {
    const supervisor = await connect('supervisor1');
    const agent = await connect('agent1');
    expect(failureAlerts((await supervisor.request('floor.subscribe')).data)).toEqual([]);

    // A healthy call: the IVR check and the suspension both answer — no alert for either step.
    const healthy = async () => {
      const d = new CallDriver(agent);
      await d.start('13800000001');
      await d.toVerify();
      await d.verifyByPassword();
      await d.executeToRemind();
      await d.finishFromRemind();
      return d.callId;
    };
    const first = await healthy();
    let s = await floorUntil(supervisor, 'the healthy call gone', (x) => !callOf(x, first), 15_000);
    expect(failureAlerts(s)).toEqual([]);

    // The BOSS is down for 13800000005: the suspension fails at `executing` (its IVR check still passes).
    const failing = new CallDriver(agent);
    await failing.start('13800000005');
    await failing.toVerify();
    await failing.verifyByPassword();
    await failing.decide('execute', undefined, 'executing');
    await failing.pushed('execute-failed');
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

describe('GET /metrics', () => {
  let server: TestServer;
  const TOKEN = 'scrape-secret-0123456789';
  const clients: WsClient[] = [];

  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await res.text());
  };
  const delta = (a: Map<string, number>, b: Map<string, number>, key: string) => (b.get(key) ?? 0) - (a.get(key) ?? 0);

  beforeAll(async () => {
    server = await startServer({ env: { SIM_LATENCY_MS: '5', BACKEND_TIMEOUT_MS: '400', METRICS_TOKEN: TOKEN } });
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    if (server) {
      await server.stop();
      server.cleanup();
    }
  });

  it('needs the token when METRICS_TOKEN is set', async () => {
    const none = await http(server.baseUrl, 'GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'UNAUTHORIZED', message: 'A metrics token is required' });
    const wrong = await http(server.baseUrl, 'GET', '/metrics', { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('UNAUTHORIZED');
  });

  it('counters and histograms move with real decisions, back-end calls and errors', async () => {
    const before = await scrape();
    for (const name of ['laihua_calls_active', 'laihua_ws_connections', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']) {
      expect(before.has(name)).toBe(true);
    }
    const agent = await WsClient.connect(server.port, await login(server.baseUrl, 'agent1'));
    clients.push(agent);

    // A full call: 8 decisions; 2 back-end replies (IVR check, suspension).
    const ok = new CallDriver(agent);
    await ok.start('13800000001');
    await ok.toVerify();
    await ok.verifyByPassword();
    await ok.executeToRemind();
    await ok.finishFromRemind();
    // A refused decision (stale seq) on a second call that stays open.
    const open = new CallDriver(agent);
    await open.start('13800000001');
    expectError(await agent.request('call.decide', { callId: open.callId, seq: 9, option: 'continue' }), 'STALE_SEQ');
    // A suspension that fails (BOSS_UNAVAILABLE) and one that never answers (TIMEOUT): 5 + 5 decisions.
    const failing = new CallDriver(agent);
    await failing.start('13800000005');
    await failing.toVerify();
    await failing.verifyByPassword();
    await failing.decide('execute', undefined, 'executing');
    await failing.pushed('execute-failed');
    const hanging = new CallDriver(agent);
    await hanging.start('13800000006');
    await hanging.toVerify();
    await hanging.verifyByPassword();
    await hanging.decide('execute', undefined, 'executing');
    await hanging.pushed('execute-failed');

    const after = await scrape();
    expect(delta(before, after, 'laihua_decisions_total{outcome="ok"}')).toBe(8 + 6 + 6);
    expect(delta(before, after, 'laihua_decisions_total{outcome="refused"}')).toBe(1);
    expect(delta(before, after, 'laihua_decision_latency_seconds_count')).toBe(20);
    expect(after.get('laihua_decision_latency_seconds_sum')!).toBeGreaterThan(0);
    const health = await http(server.baseUrl, 'GET', '/api/health');
    expect(after.get('laihua_calls_active')).toBe(health.body.liveCalls);
    expect(after.get('laihua_calls_active')).toBe(3); // open, failing, hanging
    expect(after.get('laihua_ws_connections')).toBe(1);
    // Every logged event went through the group commit: 11 + 1 + (6+2) + (6+2) events at least.
    expect(delta(before, after, 'laihua_log_append_seconds_count')).toBeGreaterThanOrEqual(29);
    expect(delta(before, after, 'laihua_log_batch_size_sum')).toBe(delta(before, after, 'laihua_log_append_seconds_count'));
    expect(delta(before, after, 'laihua_log_append_seconds_bucket{le="+Inf"}')).toBe(delta(before, after, 'laihua_log_append_seconds_count'));
    expect(delta(before, after, 'laihua_backend_call_seconds_count{operation="checkIvrPassword"}')).toBe(3);
    expect(delta(before, after, 'laihua_backend_call_seconds_count{operation="executeSuspension"}')).toBe(2);
    expect(delta(before, after, 'laihua_backend_errors_total{operation="executeSuspension",code="BOSS_UNAVAILABLE"}')).toBe(1);
    expect(delta(before, after, 'laihua_backend_errors_total{operation="executeSuspension",code="TIMEOUT"}')).toBe(1);
  });
});
