/**
 * BACKEND=http end to end: the real laihua server talks to the reference back end
 * (test/support/reference-backend.mjs) through backends/reference-mapping.json. A call gives the
 * same outcome and log as on the simulator; every failure mode lands where the simulator's does;
 * replay is deterministic; and a SIGKILL of laihua mid-step does not make the back end act twice.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallDriver } from '../support/flow';
import { expectDeterministicReplay, getCall, login } from '../support/client';
import { startReferenceBackend, type ReferenceBackend } from '../support/reference-backend';
import { bootExpectingFailure, REPO_ROOT } from '../support/server';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

const STEP_TIMEOUT_MS = 3000;
const MSISDN = '13800000001';

/** A call's log with what differs between runs taken out: ids, times, latencies. */
function comparable(call: any): unknown[] {
  const text = JSON.stringify(call.events).split(call.id).join('CALL');
  return (JSON.parse(text) as any[]).map((e) => {
    const payload = { ...e.payload };
    delete payload.latencyMs;
    if (payload.output) payload.output = { ...payload.output, effectiveAt: undefined };
    return { seq: e.seq, type: e.type, stateBefore: e.stateBefore, stateAfter: e.stateAfter, payload: JSON.parse(JSON.stringify(payload)) };
  });
}

describe('BACKEND=http against the reference back end', () => {
  let ref: ReferenceBackend;
  let dir: string;
  // Boots on a loaded box can take a while: generous readiness.
  const server = useServer({ lifetime: 'per-test', readyTimeoutMs: 90_000 });
  const httpEnv = () => ({ BACKEND: 'http', BACKEND_BASE_URL: ref.url, BACKEND_TIMEOUT_MS: String(STEP_TIMEOUT_MS) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-http-backend-'));
    ref = await startReferenceBackend({ REF_STATE_FILE: path.join(dir, 'state.json') });
  });
  afterAll(() => {
    ref?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => ref.control({ mode: 'ok' }));

  /** The suspension up to `executing`; returns the view after the back-end step. */
  async function toExecuted(d: CallDriver, expectStepId: string) {
    await d.start(MSISDN);
    await d.toVerify('travel');
    await d.verifyByPassword();
    await d.decide('execute', undefined, 'executing');
    return d.pushed(expectStepId, STEP_TIMEOUT_MS + 10_000);
  }

  it('refuses to boot on a bad mapping file, naming the file and the JSON path', () => {
    const bad = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'backends/reference-mapping.json'), 'utf8'));
    bad.operations.provision['change-plan'].response = '{ receiptId: ';
    delete bad.operations.queryAccount.points;
    const file = path.join(dir, 'bad-mapping.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const { status, output } = bootExpectingFailure({ BACKEND: 'http', BACKEND_MAPPING_FILE: file });
    expect(status).not.toBe(0);
    expect(output).toContain(`${file}: $.operations.queryAccount.points: is required`);
  }, 240_000);

  it('gives the same outcome and log as the simulator for the same call, and replays deterministically', async () => {
    const logs: unknown[][] = [];
    for (const env of [{}, httpEnv()]) {
      await server.start({ env });
      const token = await login(server.baseUrl, 'agent1');
      const d = await server.driver('agent1');
      await toExecuted(d, 'remind');
      await d.finishFromRemind();
      d.expectConsecutiveSeq();
      await expectDeterministicReplay(server.baseUrl, token, d.callId);
      logs.push(comparable(await getCall(server.baseUrl, token, d.callId)));
      await server.kill('SIGKILL');
    }
    expect(logs[1]).toEqual(logs[0]);
    expect(JSON.stringify(logs[1])).toContain('SR-CALL:');
  }, 240_000);

  it('routes each failure mode as the simulator does: failing, malformed and hung to the failure step; flapping and lost replies through', async () => {
    await server.start({ env: httpEnv() });
    const token = await login(server.baseUrl, 'agent1');
    const cases = [
      { mode: 'failing', step: 'execute-failed', logged: { type: 'backend.reply', payload: { ok: false, error: { code: 'BOSS_UNAVAILABLE' } } } },
      { mode: 'flapping', step: 'remind', logged: { type: 'backend.reply', payload: { ok: true } } },
      { mode: 'malformed', step: 'execute-failed', logged: { type: 'backend.reply', payload: { ok: false, error: { code: 'BACKEND_MALFORMED_REPLY' } } } },
      { mode: 'lost-reply', step: 'remind', logged: { type: 'backend.reply', payload: { ok: true } } },
      { mode: 'slow', slowMs: STEP_TIMEOUT_MS + 5000, step: 'execute-failed', logged: { type: 'timeout', stateBefore: 'executing' } },
    ];
    // A success between failures closes the breaker's count, so each case sees the back end, not the breaker.
    for (const c of cases) {
      const d = await server.driver('agent1');
      // Decisions before the step talk to the back end too (lookups, the password check): switch just before it.
      await d.start(MSISDN);
      await d.toVerify('travel');
      await d.verifyByPassword();
      await ref.control({ mode: c.mode, slowMs: c.slowMs });
      await d.decide('execute', undefined, 'executing');
      const after = await d.pushed(c.step, STEP_TIMEOUT_MS + 10_000);
      await ref.control({ mode: 'ok' });
      const call = await getCall(server.baseUrl, token, d.callId);
      expect({ mode: c.mode, event: call.events.find((e: any) => e.seq === after.data.seq) }).toMatchObject({ mode: c.mode, event: c.logged });
      await expectDeterministicReplay(server.baseUrl, token, d.callId);
      await d.client.request('call.hangup', { callId: d.callId });
    }
    // A lost reply was retried with the same key: the suspension acted on once per key.
    const acted = Object.entries((await ref.stats()).acted).filter(([key]) => key.includes(':suspensions:'));
    expect(acted.length).toBeGreaterThanOrEqual(2);
    for (const [key, times] of acted) expect({ key, times }).toEqual({ key, times: 1 });
    await server.kill('SIGKILL');
  }, 240_000);

  it('honours the idempotency key across a SIGKILL of laihua in the middle of a provisioning step: the back end acts once', async () => {
    await server.start({ env: httpEnv() });
    const d1 = await server.driver('agent1');
    // A suspended line asks to be resumed: the `resume` provisioning order is the step killed mid-way.
    await d1.start('13800000007', 'resume-service');
    await d1.decide('continue', undefined, 'verify');
    await d1.decide('password', undefined, 'checking-password');
    await d1.pushed('check-arrears', 10_000);
    // The back end takes its time, so the kill lands while the order is in flight; it still acts.
    await ref.control({ mode: 'slow', slowMs: 1500 });
    const sent = (await ref.stats()).requests;
    const executing = await d1.decide('resume', undefined, 'executing');
    const { callId } = executing.data;
    // Killed once the order has reached the back end, while it is still working on it.
    while ((await ref.stats()).requests === sent) await new Promise((r) => setTimeout(r, 20));
    await server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2000));
    await ref.control({ mode: 'ok' });
    const ordersOf = async () => Object.entries((await ref.stats()).acted).filter(([key]) => key.includes(`:orders:${callId}:`));
    // It acts 1.5 s after the order came in: waited for, as a stall of the back end's process can
    // push that past the 2 s above.
    await until('the back end to act on the order', ordersOf, (orders) => orders.length > 0, 20_000);
    expect(await ordersOf()).toEqual([[expect.any(String), 1]]);

    await server.restart({ env: httpEnv() });
    const token = await login(server.baseUrl, 'agent1');
    const d2 = await server.driver('agent1');
    const attached = await d2.attach(callId);
    expect(['executing', 'remind']).toContain(attached.data.step.id);
    if (attached.data.step.id === 'executing') await d2.pushed('remind', 10_000);
    expect(d2.view.data.seq).toBe(executing.data.seq + 1);

    const call = await getCall(server.baseUrl, token, callId);
    const replies = call.events.filter((e: any) => e.type === 'backend.reply' && e.stateBefore === 'executing');
    expect(replies).toHaveLength(1);
    expect(replies[0].payload).toMatchObject({ ok: true, output: { receiptId: `RESUME-${replies[0].payload.idempotencyKey}`, action: 'resume' } });
    // Sent again after the restart with the same key: the stored receipt, still one order.
    expect(await ordersOf()).toEqual([[expect.any(String), 1]]);
    await expectDeterministicReplay(server.baseUrl, token, callId);
    await server.kill('SIGKILL');
  }, 240_000);
});
