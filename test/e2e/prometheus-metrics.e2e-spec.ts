/**
 * The Prometheus `GET /metrics` over the real server: the scrape token, and counters and
 * histograms moving with real decisions, back-end calls and errors (docs/OPERATIONS.md).
 */
import { spawnSync } from 'node:child_process';
import { expectError, http } from '../support/client';
import { CallDriver } from '../support/flow';
import { parseMetrics } from '../support/prometheus-text';
import { useServer } from '../support/use-server';

describe('GET /metrics', () => {
  const TOKEN = 'scrape-secret-0123456789';
  const server = useServer({ env: { SIM_LATENCY_MS: '5', BACKEND_TIMEOUT_MS: '400', METRICS_TOKEN: TOKEN, NODE_ID: 'node-7' } });

  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // Every series carries this node's name (NODE_ID): parseMetrics checks it and takes it out of the key.
    return parseMetrics(await res.text(), 'node-7');
  };
  const delta = (a: Map<string, number>, b: Map<string, number>, key: string) => (b.get(key) ?? 0) - (a.get(key) ?? 0);

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
    const agent = await server.connect('agent1');

    // A full call: 8 decisions; 2 back-end replies (IVR check, suspension).
    await new CallDriver(agent).suspendFully('13800000001');
    // A refused decision (stale seq) on a second call that stays open.
    const open = new CallDriver(agent);
    await open.start('13800000001');
    expectError(await agent.request('call.decide', { callId: open.callId, seq: 9, option: 'continue' }), 'STALE_SEQ');
    // A suspension that fails (BOSS_UNAVAILABLE) and one that never answers (TIMEOUT): 5 + 5 decisions.
    await new CallDriver(agent).suspensionFails('13800000005');
    await new CallDriver(agent).suspensionFails('13800000006');

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
    // Each of those transactions timed on the writer's connection (a disk's stall tells apart from the main thread's).
    expect(delta(before, after, 'laihua_log_commit_seconds_count')).toBeGreaterThan(0);
    expect(delta(before, after, 'laihua_log_commit_seconds_count')).toBe(delta(before, after, 'laihua_log_batch_size_count'));
    expect(delta(before, after, 'laihua_backend_call_seconds_count{operation="checkIvrPassword"}')).toBe(3);
    expect(delta(before, after, 'laihua_backend_call_seconds_count{operation="executeSuspension"}')).toBe(2);
    expect(delta(before, after, 'laihua_backend_errors_total{operation="executeSuspension",code="BOSS_UNAVAILABLE"}')).toBe(1);
    expect(delta(before, after, 'laihua_backend_errors_total{operation="executeSuspension",code="TIMEOUT"}')).toBe(1);
  });

  // After the test above, so every series has moved (histograms with samples, labelled counters present).
  it('passes `promtool check metrics` (the exposition format and Prometheus naming rules)', async () => {
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    if ((promtool.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      // test/support/ensure-promtool.sh (npm test's pretest, .ci/run) installs it wherever it can.
      process.stderr.write('skipped: promtool is not installed (Debian package prometheus; test/support/ensure-promtool.sh installs it as root with apt)\n');
      return;
    }
    expect({ status: promtool.status, output: `${promtool.stdout}${promtool.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });
});
