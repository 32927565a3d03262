/**
 * The evaluation model against the real server: hotline calls whose needs are picked at ask-need
 * (one "other" with the words the agent typed), direct suspend calls, two searches with picks; then
 * the model's scores per business, region, team and month and the quadrant asserted exactly, and the
 * figures the metrics endpoints also answer cross-checked against them (two paths, one log).
 */
import fc from 'fast-check';
import { http } from '../support/client';
import { fuzzParams } from '../support/fuzz';
import { MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

describe('the evaluation model over HTTP', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1', 'qa1', 'admin1'], locale: 'en' });
  const { tokens } = server;
  const work = new MetricsCalls(server);
  const calls: Record<string, string> = {};
  const get = async (p: string, user = 'supervisor1') => {
    const res = await http(server.baseUrl, 'GET', p, { token: tokens[user] });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
    return res.body;
  };
  const scores = (q: string) => get(`/api/evaluation/scores?${q}`);
  const indicator = (group: any, id: string) => group.indicators.find((x: any) => x.id === id);
  const group = (s: any, key: string) => s.groups.find((g: any) => g.key === key);

  /** The UTC months the calls were made in: one, unless the run crossed a month's end. */
  const made = { first: '', last: '' };
  const monthNow = () => new Date().toISOString().slice(0, 7);

  beforeAll(async () => {
    made.first = monthNow();
    // H1 北京: need "bill", then the bill inquiry. H2 上海: need "other" with the words typed. H3 广东: need "suspend-resume", nothing done.
    calls.H1 = await work.hotline('agent1', '13800000001', 'bill', { bill: true });
    calls.H2 = await work.hotline('agent1', '13800000002', 'other', { needNote: '想办宽带，问有没有优惠' });
    calls.H3 = await work.hotline('agent2', '13900000001', 'suspend-resume');
    // D1 北京 (agent2): a direct suspension, completed. D2 广东: a direct suspension abandoned at confirm-reason.
    calls.D1 = await work.completed('agent2', '13800000001');
    calls.D2 = await work.abandoned('agent1', '13900000001');
    // Two searches: the first hit picked (rank 1), then something that was not shown (no rank).
    const agent = (m: 'GET' | 'POST', p: string, body?: unknown) => http(server.baseUrl, m, `/api/knowledge${p}`, { token: tokens.agent1, body });
    const first = (await agent('GET', `/search?q=${encodeURIComponent('停机')}`)).body;
    expect(first.hits.length).toBeGreaterThan(0);
    expect((await agent('POST', `/searches/${first.searchId}/pick`, { kind: first.hits[0].kind, id: first.hits[0].id })).body).toEqual({ rank: 1 });
    const second = (await agent('GET', `/search?q=${encodeURIComponent('话费')}`)).body;
    expect((await agent('POST', `/searches/${second.searchId}/pick`, { kind: 'business', id: 'nowhere' })).body).toEqual({ rank: null });
    made.last = monthNow();
    await until(
      'the 5 calls in the metrics',
      () => get('/api/metrics/summary'),
      (s: any) => s.calls === 5,
      20_000,
    );
  });

  it('the model: 3 dimensions, 9 sub-dimensions, 50 indicators, each computed, from satisfaction, or declared with the data it needs', async () => {
    const model = await get('/api/evaluation/model');
    expect(model.version).toBe(1);
    expect(model.hash).toMatch(/^[0-9a-f]{64}$/);
    const xs = model.dimensions.flatMap((d: any) => d.subDimensions.flatMap((s: any) => s.indicators));
    expect(xs).toHaveLength(50);
    for (const x of xs) expect(x.source === 'imported' ? x.needs?.en && x.needs['zh-CN'] : x.formula).toBeTruthy();
    expect(model.stages.map((s: any) => s.weight)).toEqual([0.12, 0.3, 0.39, 0.19]);
  });

  it('need coverage: per call whose need was asked, matched when not "other" — total, by region, by month — and the words typed', async () => {
    const total = (await scores('by=month')).total;
    expect(indicator(total, 'need-coverage')).toEqual({ id: 'need-coverage', status: 'ok', value: 0.6667, score: 74.1, sample: 3 });
    const byMonth = await scores('by=month');
    // The month the calls were made in (not the one now). Should the run have crossed a month's end,
    // which calls fell on which side is not known here: the months and the count are what is left to check.
    if (made.first === made.last) {
      expect(byMonth.groups.map((g: any) => [g.key, g.calls, indicator(g, 'need-coverage').value])).toEqual([[made.first, 5, 0.6667]]);
    } else {
      expect(byMonth.groups.every((g: any) => [made.first, made.last].includes(g.key))).toBe(true);
      expect(byMonth.groups.reduce((n: number, g: any) => n + g.calls, 0)).toBe(5);
    }
    const byRegion = await scores('by=region');
    expect(byRegion.groups.map((g: any) => [g.key, g.calls, indicator(g, 'need-coverage')])).toEqual([
      ['上海', 1, { id: 'need-coverage', status: 'ok', value: 0, score: 0, sample: 1 }],
      ['北京', 2, { id: 'need-coverage', status: 'ok', value: 1, score: 100, sample: 1 }],
      ['广东', 2, { id: 'need-coverage', status: 'ok', value: 1, score: 100, sample: 1 }],
    ]);
    const others = await get('/api/evaluation/other-needs');
    expect(others).toEqual([{ callId: calls.H2, day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), region: '上海', note: '想办宽带，问有没有优惠' }]);
    expect(await get(`/api/evaluation/other-needs?region=${encodeURIComponent('北京')}`)).toEqual([]);
  });

  it('per business: the indicators equal what the metrics endpoints answer; no indicator is missing; imported ones say so', async () => {
    const s = await scores('by=business');
    expect(s.groups.map((g: any) => [g.key, g.calls])).toEqual([
      ['bill-inquiry', 1],
      ['enter-service', 2],
      ['hang-up', 0],
      [SUSPEND, 2],
    ]);
    const summary = await get('/api/metrics/summary');
    for (const b of summary.businesses) {
      const g = group(s, b.flowId);
      expect([b.flowId, indicator(g, 'success-rate').value, indicator(g, 'fcr-rate').value, indicator(g, 'agent-steps').value]).toEqual([
        b.flowId,
        b.successRate,
        b.fcrRate,
        b.agentSteps.avg,
      ]);
    }
    const suspend = group(s, SUSPEND);
    // D1 completed, D2 abandoned.
    expect(indicator(suspend, 'success-rate')).toEqual({ id: 'success-rate', status: 'ok', value: 0.5, score: 52.6, sample: 2 });
    expect(indicator(suspend, 'abandon-rate')).toEqual({ id: 'abandon-rate', status: 'ok', value: 0.5, score: 10, sample: 2 });
    // D1's upsell was shown and declined.
    expect(indicator(suspend, 'marketing-rate')).toMatchObject({ value: 1, score: 100, sample: 1 });
    expect(indicator(suspend, 'need-coverage').status).toBe('no-data');
    expect(indicator(group(s, 'enter-service'), 'need-coverage')).toMatchObject({ value: 0.5, sample: 2 });
    expect(indicator(group(s, 'bill-inquiry'), 'need-coverage')).toMatchObject({ value: 1, sample: 1 });
    for (const g of [s.total, ...s.groups]) {
      expect(g.indicators).toHaveLength(50);
      expect(indicator(g, 'connection-rate').status).toBe('imported');
      // No satisfaction_replies table yet: no data, never an error.
      expect(indicator(g, 'satisfaction-score')).toEqual({ id: 'satisfaction-score', status: 'no-data', value: null, score: null, sample: null });
      // The search log knows no business: the whole filter has it, the businesses do not.
      expect(indicator(g, 'search-accuracy').status).toBe(g === s.total ? 'ok' : 'not-by-group');
    }
    // The whole filter's handle time and compliance: the metrics' figures.
    expect(indicator(s.total, 'handle-time').value).toBe(summary.handleTime.avgMs);
    const checks = await get('/api/metrics/compliance');
    const applicable = checks.reduce((t: number, c: any) => t + c.applicable, 0);
    expect(indicator(s.total, 'compliance-rate')).toMatchObject({
      value: Math.round((checks.reduce((t: number, c: any) => t + c.passed, 0) / applicable) * 10_000) / 10_000,
      sample: applicable,
    });
  });

  it('search accuracy by month (picked within the top 3); team and version groupings; calls per agent', async () => {
    const byMonth = await scores('by=month');
    expect(indicator(byMonth.total, 'search-accuracy')).toEqual({ id: 'search-accuracy', status: 'ok', value: 0.5, score: 55.6, sample: 2 });
    if (made.first === made.last) expect(indicator(byMonth.groups[0], 'search-accuracy')).toMatchObject({ value: 0.5, sample: 2 });
    // A filter the search log cannot apply: not by this group.
    expect(indicator((await scores(`by=month&region=${encodeURIComponent('北京')}`)).total, 'search-accuracy').status).toBe('not-by-group');
    // agent2 (H3, D1) joins a team; agent1 (H1, H2, D2) has none. The team is the agent's team now.
    const admin = (m: 'GET' | 'POST' | 'PATCH', p: string, body?: unknown) => http(server.baseUrl, m, `/api/people${p}`, { token: tokens.admin1, body });
    const team = (await admin('POST', '/teams', { name: '一组' })).body;
    const agent2 = (await admin('GET', '/users')).body.find((u: any) => u.username === 'agent2');
    expect((await admin('PATCH', `/users/${agent2.id}`, { teamId: team.id })).status).toBe(200);
    const byTeam = await scores('by=team');
    expect(byTeam.groups.map((g: any) => [g.key, g.name, g.calls, indicator(g, 'calls-per-agent').value])).toEqual([
      [team.id, '一组', 2, 2],
      ['no-team', null, 3, 3],
    ]);
    expect(indicator(byTeam.total, 'calls-per-agent')).toMatchObject({ value: 2.5, sample: 2 });
    expect(byTeam.total.name).toBeUndefined();
    // The back end's latency is the system's, not a team's; the whole filter has it.
    expect(byTeam.groups.map((g: any) => indicator(g, 'backend-latency').status)).toEqual(['not-by-group', 'not-by-group']);
    expect(indicator(byTeam.total, 'backend-latency').status).toBe('ok');
    const byVersion = await scores('by=version');
    expect(byVersion.groups.map((g: any) => g.key)).toEqual(['bill-inquiry@2', 'enter-service@2', 'hang-up@2', `${SUSPEND}@2`]);
    // agent filter: agent2 took H3 and D1.
    expect((await scores('by=region&agent=agent2')).groups.map((g: any) => [g.key, g.calls])).toEqual([
      ['北京', 1],
      ['广东', 1],
    ]);
  });

  it('scores roll up by the weights: sub-dimensions from their indicators, dimensions from those, the composite from the dimensions', async () => {
    const model = await get('/api/evaluation/model');
    const { total } = await scores('by=business');
    const mean = (parts: { weight: number; score: number | null }[]) => {
      const xs = parts.filter((p) => p.score !== null && p.weight > 0);
      const w = xs.reduce((t, p) => t + p.weight, 0);
      return w ? Math.round((xs.reduce((t, p) => t + p.weight * p.score!, 0) / w) * 10) / 10 : null;
    };
    for (const d of model.dimensions) {
      for (const sd of d.subDimensions)
        expect([sd.id, total.subDimensions.find((x: any) => x.id === sd.id).score]).toEqual([
          sd.id,
          mean(sd.indicators.map((x: any) => ({ weight: x.weight, score: indicator(total, x.id).score }))),
        ]);
      expect(total.dimensions.find((x: any) => x.id === d.id).score).toBe(
        mean(d.subDimensions.map((sd: any) => ({ weight: sd.weight, score: total.subDimensions.find((x: any) => x.id === sd.id).score }))),
      );
    }
    expect(total.composite.score).toBe(
      mean(model.dimensions.map((d: any) => ({ weight: d.weight, score: total.dimensions.find((x: any) => x.id === d.id).score }))),
    );
    expect(total.composite.score).toBeGreaterThan(0);
  });

  it('the quadrant: importance = stage weight × share of the stage; satisfaction = customer perception until replies exist', async () => {
    const q = await get('/api/evaluation/quadrant');
    const perception = async (flowId: string) => group(await scores('by=business'), flowId).dimensions.find((d: any) => d.id === 'customer-perception').score;
    expect(q.satisfactionSource).toBe('perception');
    expect(q.satisfactionSplit).toBe(80);
    // Segments: enter-service 3 (need 12 %), bill-inquiry 1 and suspend-service 2 (use 39 %); hang-up is in no stage.
    expect(q.points.map((p: any) => [p.flowId, p.stage, p.calls, p.importance])).toEqual([
      ['enter-service', 'need', 3, 0.12],
      ['bill-inquiry', 'use', 1, 0.13],
      [SUSPEND, 'use', 2, 0.26],
    ]);
    expect(q.importanceSplit).toBe(0.17);
    for (const p of q.points) {
      expect(p.satisfaction).toBe(await perception(p.flowId));
      const want = p.importance >= 0.17 ? (p.satisfaction >= 80 ? 'keep-up' : 'fix-first') : p.satisfaction >= 80 ? 'surplus' : 'watch';
      expect([p.flowId, p.quadrant]).toEqual([p.flowId, want]);
    }
    expect(q.stages.map((s: any) => [s.id, s.calls])).toEqual([
      ['need', 3],
      ['purchase', 0],
      ['use', 3],
      ['aftersales', 0],
    ]);
  });

  it('hostile queries: a 400 with the typed error or a 200, never a 5xx; agents are refused', async () => {
    expect((await http(server.baseUrl, 'GET', '/api/evaluation/scores', { token: tokens.supervisor1 })).status).toBe(400);
    expect((await http(server.baseUrl, 'GET', '/api/evaluation/scores?by=business', { token: tokens.agent1 })).status).toBe(403);
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("'; DROP TABLE users; --", '2026-13-01', '-1', '1e9', '%00', '北京'));
    const key = fc.constantFrom('by', 'from', 'to', 'flowId', 'version', 'region', 'agent', 'brand', 'tier', 'fcrDays', 'limit', 'format', 'x');
    const route = fc.constantFrom('scores', 'quadrant', 'other-needs');
    await fc.assert(
      fc.asyncProperty(route, fc.array(fc.tuple(key, value), { maxLength: 4 }), async (r, pairs) => {
        const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const res = await http(server.baseUrl, 'GET', `/api/evaluation/${r}?${qs}`, { token: tokens.supervisor1 });
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.body.code).toBe('VALIDATION_FAILED');
      }),
      // Seeded as the other fuzzing specs are (FUZZ_SEED): an unseeded run drew new queries each time,
      // so a query that fails would fail one CI run in many, by chance. FUZZ_SEED=<any> explores further.
      fuzzParams(60),
    );
  });
});
