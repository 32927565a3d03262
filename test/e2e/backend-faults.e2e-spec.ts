/**
 * Back-end faults under load: many concurrent suspension calls whose subscribers' back ends are
 * healthy, spike (answer after SIM_SPIKE_MS), fail, or hang (never answer). Failing and hanging
 * ones route to the flow's failure step (F-marked) — a hang exactly when BACKEND_TIMEOUT_MS
 * expires — spiking ones complete late, and the healthy calls' decisions and back-end steps are
 * not held up by any of them. Figures: docs/RELIABILITY.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { percentile } from '../support/agent-ledger';
import { CallDriver, expectStep } from '../support/flow';
import { getCall, login, type ViewFrame, type WsClient } from '../support/client';
import { REPO_ROOT } from '../support/server';
import { useServer } from '../support/use-server';

const TIMEOUT_MS = 4000;
const SPIKE_MS = 2000;
const LATENCY_MS = 20;
const PER_GROUP = Number(process.env.FAULTS_CALLS_PER_GROUP ?? 10);
const GROUPS = ['ok', 'slow', 'error', 'timeout'] as const;
type Group = (typeof GROUPS)[number];

interface Outcome {
  group: Group;
  callId: string;
  /** The view after the back-end step, and how long after the `execute` decision was sent it came. */
  after: ViewFrame;
  waitedMs: number;
}

describe(`back-end faults under load (${PER_GROUP} concurrent calls per behaviour: ${GROUPS.join(', ')})`, () => {
  const clients: WsClient[] = [];
  let dir: string;
  const server = useServer(() => {
    // One subscriber per call, cloned from a demo subscriber, each with its group's back end.
    const demo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/backend/simulator/demo-customers.json'), 'utf8')) as {
      msisdn: string;
    }[];
    const base = demo.find((c) => c.msisdn === '13800000001')!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-faults-'));
    // The spike hits the suspension itself; its confirmation SMS (a second request) answers at once.
    const backendOf = (group: Group) => (group === 'slow' ? { suspend: 'slow', '*': 'ok' } : group);
    const customers = GROUPS.flatMap((group, g) =>
      Array.from({ length: PER_GROUP }, (_, i) => ({
        ...base,
        msisdn: `1370${g}${String(i).padStart(6, '0')}`,
        backend: backendOf(group),
      })),
    );
    fs.writeFileSync(path.join(dir, 'customers.json'), JSON.stringify(customers));
    // The simulated agents are bots that answer at once and log in as agent1: a human's frame limits
    // (per connection and per user, tested in ws-rate-limit.e2e-spec.ts) would refuse them.
    return {
      env: {
        WS_RATE_PER_CONNECTION: '0',
        WS_RATE_PER_USER: '0',
        CUSTOMERS_FILE: path.join(dir, 'customers.json'),
        BACKEND_TIMEOUT_MS: String(TIMEOUT_MS),
        SIM_SPIKE_MS: String(SPIKE_MS),
        SIM_LATENCY_MS: String(LATENCY_MS),
      },
      readyTimeoutMs: 60_000,
      users: ['agent1'],
      stopWith: 'SIGKILL',
    };
  });

  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('routes failures and hangs to the failure step, holds the timeout, and never delays the healthy calls', async () => {
    const token = await login(server.baseUrl, 'agent1');
    /** Decision round trips of healthy calls, tagged with whether a faulty back end was outstanding then. */
    const healthyDecisions: { ms: number; duringFaults: boolean }[] = [];
    let faultsOutstanding = 0;
    let faultyDone = 0;
    let faultyExecuting = 0;
    const faulty = PER_GROUP * 3;

    const timed = async (d: CallDriver, group: Group, option: string, input: Record<string, unknown> | undefined, step: string) => {
      const duringFaults = faultsOutstanding > 0;
      const t0 = performance.now();
      const v = await d.decide(option, input, step);
      if (group === 'ok') healthyDecisions.push({ ms: performance.now() - t0, duringFaults });
      return v;
    };

    /** One suspension call up to the view after `executing`; the agent then hangs up. */
    const call = async (client: WsClient, group: Group, msisdn: string): Promise<Outcome> => {
      const d = new CallDriver(client);
      await d.start(msisdn);
      await timed(d, group, 'continue', undefined, 'confirm-reason');
      await timed(d, group, 'continue', { reason: 'travel' }, 'warn');
      await timed(d, group, 'acknowledged', undefined, 'upsell');
      await timed(d, group, 'decline', undefined, 'verify');
      await timed(d, group, 'password', undefined, 'checking-password');
      await d.pushed('execute', 20_000);
      if (group !== 'ok') {
        faultsOutstanding++;
        faultyExecuting++;
      }
      const sent = performance.now(); // the step's timer starts once the server has this decision
      const executing = await timed(d, group, 'execute', undefined, 'executing');
      const after = await client.nextPush((f) => f.data.callId === d.callId && f.data.seq === executing.data.seq + 1, TIMEOUT_MS + 20_000);
      const waitedMs = performance.now() - sent;
      if (group !== 'ok') faultsOutstanding--;
      await client.request('call.hangup', { callId: d.callId });
      return { group, callId: d.callId, after, waitedMs };
    };

    // The faulty calls start at once; once each has sent its back-end step off, the healthy agents
    // take calls, one after another, until every faulty call is through.
    const outcomes: Outcome[] = [];
    for (let i = 0; i < GROUPS.length * PER_GROUP; i++) clients.push(await server.connect('agent1', undefined, 20_000));
    const runs = GROUPS.flatMap((group, g) =>
      Array.from({ length: PER_GROUP }, async (_, i) => {
        const client = clients[g * PER_GROUP + i];
        const msisdn = `1370${g}${String(i).padStart(6, '0')}`;
        if (group !== 'ok') {
          outcomes.push(await call(client, group, msisdn));
          faultyDone++;
          return;
        }
        while (faultyExecuting < faulty) await new Promise((r) => setTimeout(r, 20));
        do outcomes.push(await call(client, group, msisdn));
        while (faultyDone < faulty);
      }),
    );
    await Promise.all(runs);

    const of = (group: Group) => outcomes.filter((o) => o.group === group);
    // Healthy and spiking back ends complete; failing and hanging ones land on the flow's failure step.
    const lastEvent = async (o: Outcome) =>
      JSON.stringify((await getCall(server.baseUrl, token, o.callId)).events.find((e: any) => e.seq === o.after.data.seq));
    for (const o of [...of('ok'), ...of('slow')]) {
      if (o.after.data.step.id !== 'remind') throw new Error(`${o.group} call ${o.callId} after ${Math.round(o.waitedMs)} ms: ${await lastEvent(o)}`);
    }
    for (const o of [...of('error'), ...of('timeout')]) {
      expectStep(o.after, 'execute-failed', `${o.group} call ${o.callId}`);
      expect(o.after.data.step.marks).toContain('F');
      expect(o.after.data.step.options!.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['retry', 'raise-ticket']));
    }
    // The log says why: a failed reply for the errors, the timer's expiry for the hangs.
    for (const o of [...of('error').slice(0, 3), ...of('timeout').slice(0, 3)]) {
      const last = (await getCall(server.baseUrl, token, o.callId)).events.find((e: any) => e.seq === o.after.data.seq);
      expect(last).toMatchObject(
        o.group === 'error'
          ? { type: 'backend.reply', payload: { ok: false }, stateAfter: 'execute-failed' }
          : { type: 'timeout', stateBefore: 'executing', stateAfter: 'execute-failed' },
      );
    }

    const waits = (group: Group) => of(group).map((o) => o.waitedMs);
    const healthyAll = healthyDecisions.map((h) => h.ms);
    const healthyDuring = healthyDecisions.filter((h) => h.duringFaults).map((h) => h.ms);
    const figures = {
      calls: outcomes.length,
      backendStepMs: Object.fromEntries(GROUPS.map((g) => [g, { p50: Math.round(percentile(waits(g), 50)), max: Math.round(Math.max(...waits(g))) }])),
      healthyDecisionMs: { n: healthyAll.length, p50: +percentile(healthyAll, 50).toFixed(1), p95: +percentile(healthyAll, 95).toFixed(1) },
      healthyDecisionMsWhileFaultsOutstanding: {
        n: healthyDuring.length,
        p50: +percentile(healthyDuring, 50).toFixed(1),
        p95: +percentile(healthyDuring, 95).toFixed(1),
      },
    };
    // eslint-disable-next-line no-console
    console.log(`backend-faults figures ${JSON.stringify(figures)}`);

    // The timeout holds: never early, and late only by scheduling (generous for a loaded 2-core box).
    expect(Math.min(...waits('timeout'))).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(percentile(waits('timeout'), 50)).toBeLessThan(TIMEOUT_MS + 1000);
    expect(Math.max(...waits('timeout'))).toBeLessThan(TIMEOUT_MS + 5000);
    // A spike delays its own call only; under the timeout it still completes.
    expect(percentile(waits('slow'), 50)).toBeGreaterThanOrEqual(SPIKE_MS - 100);
    // Nobody waits behind a slow back end: healthy steps and decisions stay far below the spike and the timeout.
    expect(percentile(waits('ok'), 50)).toBeLessThan(SPIKE_MS / 2);
    expect(percentile(waits('error'), 50)).toBeLessThan(SPIKE_MS / 2);
    expect(healthyDuring.length).toBeGreaterThan(PER_GROUP);
    expect(percentile(healthyDuring, 50)).toBeLessThan(SPIKE_MS / 4);
    expect(percentile(healthyDuring, 95)).toBeLessThan(SPIKE_MS);
  }, 240_000);
});
