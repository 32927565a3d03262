/**
 * Operations metrics against the real server: a known set of calls driven over the WebSocket
 * (simulator customers chosen to reach each outcome) and every metric asserted exactly; then a real
 * second version of suspend-service (no upsell) published through the authoring API, calls on it,
 * and the version comparison showing the difference with sample sizes.
 */
import { bucketOf, histogramOf, percentile } from '../../src/metrics/histogram';
import { http } from '../support/client';
import { MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

describe('metrics over HTTP', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1', 'supervisor2', 'qa1'], locale: 'en' });
  const { tokens } = server;
  const calls: Record<string, string> = {};
  const get = (p: string, user = 'supervisor1') => http(server.baseUrl, 'GET', p, { token: tokens[user] });
  const metrics = async (p: string, user = 'supervisor1') => {
    const res = await get(`/api/metrics/${p}`, user);
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
    return res.body;
  };

  const work = new MetricsCalls(server);
  const shownAt = (name: string) => work.shown.get(calls[name]) ?? [];

  /** Handle time and waits recomputed from the QA replay timelines of the calls (the same log, another path). */
  async function timelines(ids: string[]) {
    return Promise.all(ids.map(async (id) => (await get(`/api/qa/calls/${id}/replay`, 'qa1')).body.timeline));
  }

  /** The UTC days the calls were made in: one, unless the run crossed midnight. */
  const made = { first: '', last: '' };
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  beforeAll(async () => {
    made.first = dayOf(Date.now());
    // A: main path, offers declined (first call of 13800000001 about suspend-service).
    calls.A = await work.completed('agent1', '13800000001');
    // B: arrears → not eligible (agent2).
    calls.B = await work.notEligible('agent2', '13800000002');
    // C: suspension fails once, retry succeeds.
    calls.C = await work.failedThenRetried('agent1', '13800000004');
    // D: back end down → ticket raised.
    calls.D = await work.ticketRaised('agent1', '13800000005');
    // E: IVR password fails 3 times → locked.
    calls.E = await work.locked('agent1', '13800000003');
    // F: abandoned at confirm-reason.
    calls.F = await work.abandoned('agent1', '13900000001');
    // G: 13800000001 calls again about suspend-service (A is then not first-call resolved) and accepts an offer.
    calls.G = await work.acceptedOffer('agent1', '13800000001');
    made.last = dayOf(Date.now());

    await until(
      'metrics of the 7 calls',
      () => metrics('summary'),
      (s) => s.calls === 7,
    );
    // The QA checks are stored in the background too.
    await until(
      'checks of the 7 calls stored',
      async () => (await metrics('compliance')).find((c: any) => c.checkId === 'offer-at-eligible-m-points')?.applicable,
      (n) => n === 5,
    );
  });

  it('summary: calls, handle time from the timelines, and per business success, FCR, agent steps and marketing — exact', async () => {
    const s = await metrics('summary');
    expect(s.calls).toBe(7);
    const ts = await timelines(Object.values(calls));
    const durations = ts.map((t: any) => t.totals.durationMs);
    const n = ts.length;
    expect(s.handleTime).toEqual({
      avgMs: Math.round(durations.reduce((a: number, b: number) => a + b, 0) / n),
      p90Ms: percentile(histogramOf(durations), 0.9),
      agentMs: Math.round(ts.reduce((a: number, t: any) => a + t.totals.agentMs, 0) / n),
      waitMs: Math.round(ts.reduce((a: number, t: any) => a + t.totals.waitMs, 0) / n),
      byLane: Object.fromEntries(
        ['customer', 'frontstage', 'backstage', 'support'].map((lane) => [
          lane,
          Math.round(
            ts
              .flatMap((t: any) => t.entries)
              .filter((e: any) => e.lane === lane)
              .reduce((a: number, e: any) => a + (e.durationMs ?? 0), 0) / n,
          ),
        ]),
      ),
    });
    expect(s.handleTime.waitMs).toBeGreaterThan(0);
    const eligible = ['A', 'C', 'D', 'E', 'G'].filter((k) => shownAt(k).length > 0).length;
    expect(eligible).toBe(5);
    expect(s.businesses).toEqual([
      // G moved on into the replacement SIM its accepted offer opened, and completed it there.
      {
        flowId: 'sim-replacement',
        version: 1,
        calls: 1,
        successRate: 1,
        fcrRate: 1,
        agentSteps: { avg: 7, min: 7, target: 3, overTarget: 1 },
        marketing: { eligible: 0, presented: 0, rate: null, accepted: 0, conversion: null },
      },
      {
        flowId: SUSPEND,
        version: 2,
        calls: 7,
        // A, B (not eligible is an outcome reached), C (retried), G (converted); not D (ticket, F), E (locked, F), F (abandoned).
        successRate: 0.5714,
        // B, C, G: A was followed by G from the same number within 7 days.
        fcrRate: 0.4286,
        // Ended businesses: A 8, B 1, C 9, D 7, E 7, G 4 → 36 / 6.
        agentSteps: { avg: 6, min: 1, target: 3, overTarget: 5 },
        marketing: { eligible: 5, presented: 5, rate: 1, accepted: 1, conversion: 0.2 },
      },
    ]);
  });

  it('filters: agent, region, brand, tier, flow, version, dates; unknown values find nothing', async () => {
    const callsOf = async (q: string) => (await metrics(`summary?${q}`)).calls;
    expect(await callsOf('agent=agent2')).toBe(1);
    expect(await callsOf('agent=agent1')).toBe(6);
    expect(await callsOf('agent=nobody')).toBe(0);
    expect(await callsOf(`region=${encodeURIComponent('上海')}`)).toBe(1);
    expect(await callsOf('brand=easyown')).toBe(2); // B, D
    expect(await callsOf('tier=diamond')).toBe(1); // C
    expect(await callsOf('brand=gotone&tier=gold')).toBe(3); // A, F, G
    expect(await callsOf(`flowId=${SUSPEND}&version=2`)).toBe(7);
    expect(await callsOf(`flowId=${SUSPEND}&version=3`)).toBe(0);
    // The days the calls were made in, not today's: a run crossing midnight (UTC) made them yesterday.
    const dayAfter = dayOf(Date.parse(made.last) + 86_400_000);
    const dayBefore = dayOf(Date.parse(made.first) - 86_400_000);
    expect(await callsOf(`from=${made.first}&to=${made.last}`)).toBe(7);
    expect(await callsOf(`from=${dayAfter}`)).toBe(0);
    expect(await callsOf(`to=${dayBefore}`)).toBe(0);
    const b = (await metrics('summary?agent=agent2')).businesses;
    expect(b).toEqual([expect.objectContaining({ calls: 1, successRate: 1, fcrRate: 1, agentSteps: { avg: 1, min: 1, target: 3, overTarget: 0 } })]);
    const fcr1 = (await metrics('summary?fcrDays=1')).businesses.find((x: any) => x.flowId === SUSPEND).fcrRate;
    expect(fcr1).toBe(0.4286);
  });

  it('steps: visits, W waits, F failures with causes, drop-offs — exact', async () => {
    const steps = await metrics(`flows/${SUSPEND}/steps`);
    const by = Object.fromEntries(steps.map((s: any) => [s.stepId, s]));
    expect(steps[0].stepId).toBe('check-eligibility');
    expect(by['check-eligibility']).toMatchObject({ lane: 'frontstage', marks: ['D'], visits: 7, dropOffs: 0 });
    expect(by['confirm-reason']).toMatchObject({ visits: 6, dropOffs: 1 });
    expect(by.upsell).toMatchObject({ marks: ['M'], visits: 5 });
    expect(by.verify).toMatchObject({
      marks: ['F'],
      visits: 6,
      failures: { count: 2, rate: 0.3333, topCauses: [{ cause: 'CHECK_FAILED:checkIvrPassword', count: 2 }] },
    });
    expect(by['verification-locked']).toMatchObject({
      visits: 1,
      failures: { count: 1, rate: 1, topCauses: [{ cause: 'CHECK_FAILED:checkIvrPassword', count: 1 }] },
    });
    expect(by['execute-failed'].visits).toBe(2);
    expect(by['execute-failed'].failures).toMatchObject({ count: 2, rate: 1 });
    expect(by['execute-failed'].failures.topCauses).toEqual([{ cause: expect.any(String), count: 2 }]);
    expect(by['execution-failed']).toMatchObject({ visits: 1, failures: { count: 0, rate: 0, topCauses: [] } });
    expect(by['checking-password']).toMatchObject({ lane: 'support', marks: ['W'], visits: 6, waits: { count: 6 } });
    expect(by.executing.waits.count).toBe(4);
    expect(by.completed.visits).toBe(2);
    expect(by.remind.failures.rate).toBeNull();
    // Wait percentiles from the timelines' executing entries.
    const ts = await timelines(Object.values(calls));
    const executing = ts
      .flatMap((t: any) => t.entries)
      .filter((e: any) => e.stepId === 'executing')
      .map((e: any) => e.durationMs);
    expect(executing).toHaveLength(4);
    expect(by.executing.waits).toEqual({
      count: 4,
      p50Ms: percentile(histogramOf(executing), 0.5),
      p90Ms: percentile(histogramOf(executing), 0.9),
    });
    expect(bucketOf(by.executing.waits.p90Ms)).toBe(bucketOf(Math.max(...executing)));
  });

  it('offers: per M point and per offer, eligible / presented / accepted / conversion — exact', async () => {
    const rows = await metrics('offers');
    const point = rows.find((r: any) => r.offerId === null);
    expect(point).toEqual({ flowId: SUSPEND, stepId: 'upsell', offerId: null, eligible: 5, presented: 5, accepted: 1, conversion: 0.2 });
    const counts: Record<string, number> = {};
    for (const ids of work.shown.values()) for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
    const perOffer = rows.filter((r: any) => r.offerId !== null);
    expect(perOffer).toEqual(
      Object.keys(counts)
        .sort()
        .map((id) => ({
          flowId: SUSPEND,
          stepId: 'upsell',
          offerId: id,
          eligible: counts[id],
          presented: counts[id],
          accepted: id === 'replacement-sim' ? 1 : 0,
          conversion: id === 'replacement-sim' ? Math.round((1 / counts[id]) * 10_000) / 10_000 : 0,
        })),
    );
  });

  it('compliance: per check, applicable and passed as stored for the calls', async () => {
    const rows = await metrics('compliance');
    const expected: Record<string, { applicable: number; passed: number }> = {};
    for (const id of Object.values(calls)) {
      for (const c of (await get(`/api/qa/calls/${id}/replay`, 'qa1')).body.checks) {
        const e = (expected[c.id] ??= { applicable: 0, passed: 0 });
        if (c.applicable) e.applicable++;
        if (c.applicable && c.passed) e.passed++;
      }
    }
    expect(rows).toEqual(
      Object.keys(expected)
        .sort()
        .map((checkId) => ({
          checkId,
          ...expected[checkId],
          rate: expected[checkId].applicable ? Math.round((expected[checkId].passed / expected[checkId].applicable) * 10_000) / 10_000 : null,
        })),
    );
    expect(rows.find((r: any) => r.checkId === 'offer-at-eligible-m-points')).toEqual({
      checkId: 'offer-at-eligible-m-points',
      applicable: 5,
      passed: 5,
      rate: 1,
    });
  });

  it('CSV export of every table; roles; validation', async () => {
    const csv = await get('/api/metrics/summary?format=csv');
    expect(csv.status).toBe(200);
    const [head, ...rows] = csv.text.trim().split('\r\n');
    const row = rows.find((r) => r.startsWith(`${SUSPEND},`));
    expect(head).toBe(
      'flowId,version,calls,successRate,fcrRate,agentSteps.avg,agentSteps.min,agentSteps.target,agentSteps.overTarget,marketing.eligible,marketing.presented,marketing.rate,marketing.accepted,marketing.conversion',
    );
    expect(row).toBe(`${SUSPEND},2,7,0.5714,0.4286,6,1,3,5,5,5,1,1,0.2`);
    expect((await get(`/api/metrics/flows/${SUSPEND}/steps?format=csv`)).text.split('\r\n')[0]).toBe(
      'stepId,lane,marks,visits,avgMs,p90Ms,waits.count,waits.p50Ms,waits.p90Ms,failures.count,failures.rate,failures.topCauses,dropOffs',
    );
    expect((await get('/api/metrics/offers?format=csv')).text.split('\r\n')[0]).toBe('flowId,stepId,offerId,eligible,presented,accepted,conversion');
    expect((await get('/api/metrics/compliance?format=csv', 'qa1')).text.split('\r\n')[0]).toBe('checkId,applicable,passed,rate');
    expect((await get(`/api/metrics/compare?flowId=${SUSPEND}&a=1&b=1&format=csv`)).text.split('\r\n')[0]).toBe('metric,a,b,delta');
    expect((await get('/api/metrics/summary', 'agent1')).status).toBe(403);
    expect((await get('/api/metrics/summary', 'qa1')).status).toBe(200);
    expect((await get('/api/metrics/summary?from=yesterday')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await get('/api/metrics/summary?fcrDays=31')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await get('/api/metrics/compare?a=1&b=2')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('version comparison: v2 without the upsell step, published through authoring; calls on it; the difference with sample sizes', async () => {
    expect(await work.publishVersionWithoutUpsell()).toBe(3);

    await work.completed('agent1', '13900000001', true);
    await work.completed('agent1', '13800000012', true);
    await until(
      'metrics of the v2 calls',
      () => metrics(`summary?flowId=${SUSPEND}&version=3`),
      (s) => s.calls === 2,
    );

    const cmp = await metrics(`compare?flowId=${SUSPEND}&a=2&b=3`);
    expect(cmp.a.sampleSize).toEqual({ calls: 7, segments: 7 });
    expect(cmp.b.sampleSize).toEqual({ calls: 2, segments: 2 });
    expect(cmp.b.business).toEqual({
      flowId: SUSPEND,
      version: 3,
      calls: 2,
      successRate: 1,
      fcrRate: 1,
      agentSteps: { avg: 7, min: 7, target: 3, overTarget: 2 },
      marketing: { eligible: 0, presented: 0, rate: null, accepted: 0, conversion: null },
    });
    expect(cmp.a.business).toMatchObject({ version: 2, calls: 7, successRate: 0.5714 });
    expect(cmp.b.steps.map((s: any) => s.stepId)).not.toContain('upsell');
    expect(cmp.a.steps.map((s: any) => s.stepId)).toContain('upsell');
    const diff = Object.fromEntries(cmp.differences.map((d: any) => [d.metric, d]));
    expect(diff['sampleSize.segments']).toEqual({ metric: 'sampleSize.segments', a: 7, b: 2, delta: -5 });
    expect(diff['marketing.eligible']).toEqual({ metric: 'marketing.eligible', a: 5, b: 0, delta: -5 });
    expect(diff['agentSteps.avg']).toEqual({ metric: 'agentSteps.avg', a: 6, b: 7, delta: 1 });
    expect(diff.successRate).toEqual({ metric: 'successRate', a: 0.5714, b: 1, delta: 0.4286 });
    // The v1 figures are unchanged by the v2 calls (other numbers).
    expect((await metrics(`summary?flowId=${SUSPEND}&version=2`)).businesses[0]).toMatchObject({ calls: 7, fcrRate: 0.4286 });
  });
});
