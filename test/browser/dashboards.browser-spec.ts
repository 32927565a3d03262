/**
 * The supervisors'/QA dashboards in real Chromium against the real server. Calls with known outcomes
 * are made over the WebSocket first (test/support/metrics-calls.ts: completed, not eligible, failed
 * once and retried, ticket raised, locked, abandoned, an accepted offer — and a v2 without the upsell
 * step, published through authoring, with two calls on it). Every figure on the pages is compared
 * with what the JSON endpoint answers for the same filter (never a number written here), every chart
 * with the chart.js instance's data, every CSV button with the server's CSV.
 */
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import {
  byTestId,
  closeBrowser,
  closePages,
  expectNoConsoleErrors,
  launchBrowser,
  loginAs,
  openPage,
  openPages,
  screenshot,
  until,
  waitForAttr,
} from '../support/browser';
import { MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { http, login, startServer, type TestServer } from '../support/server';

type Row = { attrs: Record<string, string>; values: Record<string, unknown>; text: string[] };

/** The rows of a dashboard table: their data attributes, the raw API value of each keyed cell, the printed cells. */
const tableRows = (page: Page, testid: string): Promise<Row[]> =>
  page.locator(byTestId(`${testid}-row`)).evaluateAll((trs) =>
    trs.map((tr) => ({
      attrs: { ...(tr as HTMLElement).dataset } as Record<string, string>,
      values: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [td.dataset.key!, JSON.parse(td.dataset.value!)])),
      text: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );

/** The chart.js instance on a canvas: its labels and datasets (the page's real chart, via Chart.getChart). */
const chartData = (page: Page, testid: string) =>
  page.evaluate((id) => {
    const chart = (window as any).Chart?.getChart(document.querySelector(`[data-testid="${id}"]`));
    return chart ? { labels: chart.data.labels, datasets: chart.data.datasets.map((d: any) => ({ label: d.label, data: d.data })) } : null;
  }, testid);

/** Pixels the chart painted (non-transparent) on its canvas. */
const paintedPixels = (page: Page, testid: string) =>
  page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`)!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, testid);

async function expectChart(page: Page, testid: string, expected: { labels: string[]; data: (number | null)[][] } | { data: (number | null)[][] }) {
  const got = await until(
    `${testid} drawn with the data`,
    () => chartData(page, testid),
    (c) => !!c && JSON.stringify(c.datasets.map((d: any) => d.data)) === JSON.stringify(expected.data),
    10_000,
    100,
  );
  if ('labels' in expected) expect(got!.labels).toEqual(expected.labels);
  expect(await paintedPixels(page, testid)).toBeGreaterThan(500);
}

/** Clicks the CSV button and returns the text of the file it downloads. */
async function download(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId(testid)).click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
}

/** The section has drawn the answer to exactly this query. */
const drawn = (page: Page, testid: string, query: string) =>
  until(
    `${testid} ready for '${query}'`,
    async () => page.locator(byTestId(testid)).evaluate((el) => `${(el as HTMLElement).dataset.state}|${(el as HTMLElement).dataset.query}`),
    (v) => v === `ready|${query}`,
    15_000,
    50,
  );

const sec = (v: number | null) => (v === null ? null : Math.round(v / 100) / 10);
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const csvLines = (text: string) => text.trim().split('\r\n');

describe('dashboards (real browser)', () => {
  let server: TestServer;
  let gen: MetricsCalls;
  const tokens: Record<string, string> = {};
  const api = async (path: string) => {
    const res = await http(server.baseUrl, 'GET', path, { token: tokens.supervisor1 });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    return path.includes('format=csv') ? res.text : res.body;
  };

  beforeAll(async () => {
    // A slower back end makes the W steps the hot ones on the heat map.
    [server] = await Promise.all([startServer({ env: { SIM_LATENCY_MS: '250' } }), launchBrowser()]);
    for (const user of ['agent1', 'agent2', 'supervisor1', 'supervisor2', 'qa1']) tokens[user] = await login(server.baseUrl, user);
    gen = new MetricsCalls(server, tokens);
    const calls = [
      await gen.completed('agent1', '13800000001'),
      await gen.notEligible('agent2', '13800000002'),
      await gen.failedThenRetried('agent1', '13800000004'),
      await gen.ticketRaised('agent1', '13800000005'),
      await gen.locked('agent1', '13800000003'),
      await gen.abandoned('agent1', '13900000001'),
      await gen.acceptedOffer('agent1', '13800000001'),
    ];
    expect(await gen.publishVersionWithoutUpsell()).toBe(2);
    calls.push(await gen.completed('agent1', '13900000001', true), await gen.completed('agent2', '13800000012', true));
    // Facts and check results are written in the background once a call ends: wait for all of them
    // (the applicable checks per call as the replay computes them, stored for every call).
    await until(
      'the 9 calls in the metrics',
      () => api('/api/metrics/summary'),
      (s: any) => s.calls === 9,
      20_000,
      100,
    );
    const applicable: Record<string, number> = {};
    for (const id of calls) {
      const replay = await http(server.baseUrl, 'GET', `/api/qa/calls/${id}/replay`, { token: tokens.qa1 });
      for (const c of replay.body.checks) if (c.applicable) applicable[c.id] = (applicable[c.id] ?? 0) + 1;
    }
    await until(
      'the checks of the 9 calls stored',
      async () => Object.fromEntries((await api('/api/metrics/compliance')).filter((c: any) => c.applicable).map((c: any) => [c.checkId, c.applicable])),
      (stored) => JSON.stringify(Object.entries(stored).sort()) === JSON.stringify(Object.entries(applicable).sort()),
      20_000,
      100,
    );
  }, 120_000);

  afterAll(async () => {
    await gen?.close();
    await closeBrowser();
    if (server) {
      await server.stop();
      server.cleanup();
    }
  });

  afterEach(async () => {
    try {
      for (const p of openPages()) expectNoConsoleErrors(p);
    } finally {
      await closePages();
    }
  });

  it('supervisor1: summary, businesses, offers, compliance and the version comparison show what the endpoints answer; charts; CSV; the filter changes the numbers', async () => {
    const page = await openPage(server.baseUrl);
    await loginAs(page, 'supervisor1');
    await page.locator(byTestId('open-metrics')).click();
    await page.locator(byTestId('metrics-page')).waitFor();
    for (const id of ['metrics-summary', 'metrics-business-section', 'metrics-offers-section', 'metrics-compliance-section']) await drawn(page, id, '');

    // Summary cards and the handle-time split.
    const summary = await api('/api/metrics/summary');
    expect(summary.calls).toBe(9);
    for (const [card, value] of [
      ['calls', summary.calls],
      ['avgMs', summary.handleTime.avgMs],
      ['p90Ms', summary.handleTime.p90Ms],
      ['agentMs', summary.handleTime.agentMs],
      ['waitMs', summary.handleTime.waitMs],
    ]) {
      expect([card, JSON.parse((await page.locator(byTestId(`metrics-card-${card}`)).getAttribute('data-value'))!)]).toEqual([card, value]);
    }
    expect(await page.locator(byTestId('metrics-card-calls')).innerText()).toBe('9');
    expect(summary.handleTime.waitMs).toBeGreaterThan(0);
    const lanes = ['customer', 'frontstage', 'backstage', 'support'];
    expect((await tableRows(page, 'metrics-lanes')).map((r) => [r.attrs.lane, Object.values(r.values)[0]])).toEqual(
      lanes.map((l) => [l, summary.handleTime.byLane[l]]),
    );
    await expectChart(page, 'chart-handle-time', {
      data: [[sec(summary.handleTime.agentMs), null], [sec(summary.handleTime.waitMs), null], ...lanes.map((l) => [null, sec(summary.handleTime.byLane[l])])],
    });

    // Per business: every keyed cell is the endpoint's value.
    const businesses = await tableRows(page, 'metrics-businesses');
    expect(businesses.map((r) => [r.attrs.flowId, Number(r.attrs.version)])).toEqual(summary.businesses.map((b: any) => [b.flowId, b.version]));
    summary.businesses.forEach((b: any, i: number) =>
      expect(businesses[i].values).toEqual({
        calls: b.calls,
        successRate: b.successRate,
        fcrRate: b.fcrRate,
        'agentSteps.avg': b.agentSteps.avg,
        'agentSteps.overTarget': b.agentSteps.overTarget,
        'marketing.eligible': b.marketing.eligible,
        'marketing.presented': b.marketing.presented,
        'marketing.rate': b.marketing.rate,
        'marketing.accepted': b.marketing.accepted,
        'marketing.conversion': b.marketing.conversion,
      }),
    );
    const v1 = summary.businesses.find((b: any) => b.version === 1);
    expect(businesses[0].text).toContain(`${(v1.successRate * 100).toFixed(1)}%`);
    await expectChart(page, 'chart-success-fcr', {
      data: [summary.businesses.map((b: any) => percent(b.successRate)), summary.businesses.map((b: any) => percent(b.fcrRate))],
    });
    await expectChart(page, 'chart-agent-steps', {
      data: [summary.businesses.map((b: any) => b.agentSteps.avg), summary.businesses.map((b: any) => b.agentSteps.target)],
    });
    // Its CSV is the server's, and its rows are the table's rows.
    const businessCsv = await download(page, 'businesses-csv');
    expect(businessCsv.name).toBe('metrics-businesses.csv');
    expect(businessCsv.text).toBe(await api('/api/metrics/summary?format=csv'));
    const head = csvLines(businessCsv.text)[0].split(',');
    expect(
      csvLines(businessCsv.text)
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[head.indexOf('flowId')], Number(c[head.indexOf('calls')]), Number(c[head.indexOf('successRate')])]),
    ).toEqual(businesses.map((r) => [r.attrs.flowId, r.values.calls, r.values.successRate]));
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '25-metrics-dashboard');

    // Offers and compliance.
    const offers = await api('/api/metrics/offers');
    expect(offers.length).toBeGreaterThan(1);
    const offerRows = await tableRows(page, 'metrics-offers');
    expect(offerRows.map((r) => [r.attrs.stepId, r.attrs.offerId || null, r.values])).toEqual(
      offers.map((o: any) => [o.stepId, o.offerId, { eligible: o.eligible, presented: o.presented, accepted: o.accepted, conversion: o.conversion }]),
    );
    await expectChart(page, 'chart-offers', {
      data: [offers.map((o: any) => o.eligible), offers.map((o: any) => o.presented), offers.map((o: any) => o.accepted)],
    });
    const offersCsv = await download(page, 'offers-csv');
    expect(offersCsv.text).toBe(await api('/api/metrics/offers?format=csv'));
    expect(csvLines(offersCsv.text)).toHaveLength(offerRows.length + 1);
    const checks = await api('/api/metrics/compliance');
    const checkRows = await tableRows(page, 'metrics-compliance');
    expect(checkRows.map((r) => [r.attrs.checkId, r.values])).toEqual(
      checks.map((c: any) => [c.checkId, { applicable: c.applicable, passed: c.passed, rate: c.rate }]),
    );
    await expectChart(page, 'chart-compliance', { labels: checks.map((c: any) => c.checkId), data: [checks.map((c: any) => percent(c.rate))] });
    expect((await download(page, 'compliance-csv')).text).toBe(await api('/api/metrics/compliance?format=csv'));
    await page.locator(byTestId('metrics-offers-section')).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '26-metrics-offers-compliance');

    // Version comparison: suspend-service v1 against v2 (picked by default: the two latest that ran).
    expect(await page.locator(byTestId('compare-flow')).inputValue()).toBe(SUSPEND);
    expect([await page.locator(byTestId('compare-a')).inputValue(), await page.locator(byTestId('compare-b')).inputValue()]).toEqual(['1', '2']);
    await drawn(page, 'metrics-compare', `flowId=${SUSPEND}&a=1&b=2`);
    const cmp = await api(`/api/metrics/compare?flowId=${SUSPEND}&a=1&b=2`);
    expect([cmp.a.sampleSize, cmp.b.sampleSize]).toEqual([
      { calls: 7, segments: 7 },
      { calls: 2, segments: 2 },
    ]);
    for (const side of ['a', 'b'] as const) {
      const el = page.locator(byTestId(`compare-sample-${side}`));
      expect([Number(await el.getAttribute('data-calls')), Number(await el.getAttribute('data-segments'))]).toEqual([
        cmp[side].sampleSize.calls,
        cmp[side].sampleSize.segments,
      ]);
    }
    const cmpRows = await tableRows(page, 'compare-table');
    expect(cmpRows.map((r) => [r.attrs.metric, r.values])).toEqual(cmp.differences.map((d: any) => [d.metric, { a: d.a, b: d.b, delta: d.delta }]));
    const rates = cmp.differences.filter((d: any) => ['successRate', 'fcrRate', 'marketing.rate', 'marketing.conversion'].includes(d.metric));
    await expectChart(page, 'chart-compare', { data: [rates.map((d: any) => percent(d.a)), rates.map((d: any) => percent(d.b))] });
    expect((await download(page, 'compare-csv')).text).toBe(await api(`/api/metrics/compare?flowId=${SUSPEND}&a=1&b=2&format=csv`));
    await page.locator(byTestId('metrics-compare')).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '27-version-compare');

    // The filter: agent2's calls only — one request round after typing settles, other numbers everywhere.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(byTestId('metrics-filter-agent')).pressSequentially('agent2');
    await drawn(page, 'metrics-business-section', 'agent=agent2');
    const filtered = await api('/api/metrics/summary?agent=agent2');
    expect(filtered.calls).toBe(2);
    expect(await page.locator(byTestId('metrics-card-calls')).innerText()).toBe(String(filtered.calls));
    expect((await tableRows(page, 'metrics-businesses')).map((r) => [r.attrs.version, r.values.calls, r.values.successRate])).toEqual(
      filtered.businesses.map((b: any) => [String(b.version), b.calls, b.successRate]),
    );
    await drawn(page, 'metrics-offers-section', 'agent=agent2');
    expect((await tableRows(page, 'metrics-offers')).length).toBe((await api('/api/metrics/offers?agent=agent2')).length);
    await drawn(page, 'metrics-compare', `agent=agent2&flowId=${SUSPEND}&a=1&b=2`);
    const cmp2 = await api(`/api/metrics/compare?flowId=${SUSPEND}&a=1&b=2&agent=agent2`);
    expect(Number(await page.locator(byTestId('compare-sample-a')).getAttribute('data-calls'))).toBe(cmp2.a.sampleSize.calls);
    expect(cmp2.a.sampleSize.calls).not.toBe(cmp.a.sampleSize.calls);
    expect((await download(page, 'businesses-csv')).text).toBe(await api('/api/metrics/summary?agent=agent2&format=csv'));
    // Typing is debounced: the summary was not asked once per key typed (6 keys), and last for the settled filter.
    const asked = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('/api/metrics/summary?agent=') && !n.includes('format=csv')),
    );
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(new URL(asked.at(-1)!).search).toBe('?agent=agent2');
  }, 120_000);

  it("the blueprint heat map: the editor's lane layout, steps coloured by the measure with a matching legend, figures, the step table and its CSV", async () => {
    const page = await openPage(server.baseUrl);
    await loginAs(page, 'supervisor1');
    // The editor's drawing of v1, for the layout comparison.
    await page.goto(`${server.baseUrl}/#editor/${SUSPEND}/1`);
    await waitForAttr(page.locator(byTestId('blueprint-holder')), 'data-ready', 'true', 15_000);
    const positions = () =>
      page.locator(`${byTestId('bp-step')}`).evaluateAll((gs) => gs.map((g) => `${(g as HTMLElement).dataset.stepId}@${g.getAttribute('transform')}`).sort());
    const editorLayout = await positions();

    await page.goto(`${server.baseUrl}/#/`);
    await page.locator(byTestId('open-heat-map')).click();
    await page.locator(byTestId('heat-map-page')).waitFor();
    await page.locator(byTestId('metrics-filter-flowId')).selectOption(SUSPEND);
    await page.locator(byTestId('metrics-filter-version')).selectOption('1');
    await drawn(page, 'heat-steps-section', `flowId=${SUSPEND}&version=1`);
    await waitForAttr(page.locator(byTestId('heat-holder')), 'data-ready', 'true');
    expect(await positions()).toEqual(editorLayout);
    expect(await page.locator(byTestId('bp-lane')).count()).toBe(4);

    const steps = await api(`/api/metrics/flows/${SUSPEND}/steps?version=1`);
    const box = (id: string) => page.locator(byTestId('bp-step', `[data-step-id="${id}"]`));
    const heat = async (id: string) => ({
      value: JSON.parse((await box(id).getAttribute('data-heat-value'))!),
      color: await box(id).getAttribute('data-heat-color'),
    });
    const legend = page.locator(byTestId('heat-legend'));
    const legendOf = async () => ({
      max: JSON.parse((await legend.getAttribute('data-max'))!),
      cold: await legend.getAttribute('data-cold'),
      hot: await legend.getAttribute('data-hot'),
      measure: await legend.getAttribute('data-measure'),
    });
    const by = Object.fromEntries(steps.map((s: any) => [s.stepId, s]));

    // Failure rate: execute-failed always fails (hot), execution-failed never (cold), remind is not an F step (no figure).
    await page.locator(byTestId('heat-measure')).selectOption('failureRate');
    await until(
      'legend for the failure rate',
      () => legend.getAttribute('data-measure'),
      (m) => m === 'failureRate',
    );
    const rates = steps.map((s: any) => s.failures.rate).filter((r: number | null) => r !== null);
    const lf = await legendOf();
    expect(lf.max).toBe(Math.max(...rates));
    const [hot, cold, none] = await Promise.all([heat('execute-failed'), heat('execution-failed'), heat('remind')]);
    expect(hot).toEqual({ value: by['execute-failed'].failures.rate, color: lf.hot });
    expect(cold).toEqual({ value: by['execution-failed'].failures.rate, color: lf.cold });
    expect(hot.value).toBe(lf.max);
    expect(cold.value).toBe(0);
    expect(hot.color).not.toBe(cold.color);
    expect(none.value).toBeNull();
    expect(none.color).not.toBe(lf.cold);
    const mid = await heat('verify');
    expect(mid.value).toBe(by.verify.failures.rate);
    expect([lf.hot, lf.cold]).not.toContain(mid.color);
    expect(await box('execute-failed').locator('.bp-figure').textContent()).toBe(
      `${(by['execute-failed'].failures.rate * 100).toFixed(1)}% · n=${by['execute-failed'].visits}`,
    );
    expect(await page.locator(byTestId('heat-tick')).last().innerText()).toBe(`${(lf.max * 100).toFixed(1)}%`);
    // The fill really is the colour (not only the attribute).
    expect(
      await box('execute-failed')
        .locator('.bp-box')
        .evaluate((r) => getComputedStyle(r).fill),
    ).toBe(`rgb(${[1, 3, 5].map((i) => parseInt(lf.hot!.slice(i, i + 2), 16)).join(', ')})`);

    // Time spent (avg): the slowest step is the hot one, the legend runs to its value; the tooltip has the figures.
    await page.locator(byTestId('heat-measure')).selectOption('avgMs');
    await until(
      'legend for the time spent',
      () => legend.getAttribute('data-measure'),
      (m) => m === 'avgMs',
    );
    const drawnIds = new Set((await positions()).map((p) => p.split('@')[0]));
    const timed = steps.filter((s: any) => drawnIds.has(s.stepId) && s.visits > 0);
    const slowest = timed.reduce((a: any, b: any) => (b.avgMs > a.avgMs ? b : a));
    const la = await legendOf();
    expect(la.max).toBe(slowest.avgMs);
    expect(await heat(slowest.stepId)).toEqual({ value: slowest.avgMs, color: la.hot });
    const fastest = timed.reduce((a: any, b: any) => (b.avgMs < a.avgMs ? b : a));
    expect((await heat(fastest.stepId)).color).not.toBe(la.hot);
    expect(await box(slowest.stepId).locator('title').textContent()).toContain(`(${slowest.stepId})`);
    expect(await box(slowest.stepId).locator('title').textContent()).toContain(String(slowest.visits));

    // The step table and its CSV.
    const rows = await tableRows(page, 'heat-steps');
    expect(rows.map((r) => r.attrs.stepId)).toEqual(steps.map((s: any) => s.stepId));
    steps.forEach((s: any, i: number) =>
      expect(rows[i].values).toMatchObject({
        visits: s.visits,
        avgMs: s.avgMs,
        p90Ms: s.p90Ms,
        'waits.count': s.waits.count,
        'failures.count': s.failures.count,
        'failures.rate': s.failures.rate,
        dropOffs: s.dropOffs,
      }),
    );
    const csv = await download(page, 'heat-steps-csv');
    expect(csv.text).toBe(await api(`/api/metrics/flows/${SUSPEND}/steps?version=1&format=csv`));
    expect(
      csvLines(csv.text)
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(rows.map((r) => r.attrs.stepId));
    // The picture: legend and the four lanes, the slowest step in view.
    await box(slowest.stepId).evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'center' }));
    await page.locator('.heat-controls').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '28-blueprint-heat-map');

    // A filter repaints from other numbers: agent2 only worked a not-eligible call on v1.
    await page.locator(byTestId('metrics-filter-agent')).fill('agent2');
    await drawn(page, 'heat-steps-section', `flowId=${SUSPEND}&version=1&agent=agent2`);
    const few = await api(`/api/metrics/flows/${SUSPEND}/steps?version=1&agent=agent2`);
    expect((await tableRows(page, 'heat-steps')).map((r) => [r.attrs.stepId, r.values.visits])).toEqual(few.map((s: any) => [s.stepId, s.visits]));
    expect(JSON.parse((await box('verify').getAttribute('data-heat-value'))!)).toBeNull();
  }, 90_000);

  it('QA opens the dashboards (no live floor link); an agent is sent back to the call screen', async () => {
    const qa = await openPage(server.baseUrl);
    await loginAs(qa, 'qa1');
    await qa.locator(byTestId('open-metrics')).click();
    await drawn(qa, 'metrics-business-section', '');
    expect(await qa.locator(byTestId('metrics-card-calls')).innerText()).toBe(String((await api('/api/metrics/summary')).calls));
    expect(await qa.locator(byTestId('nav-floor')).count()).toBe(0);
    // Bilingual like the rest: English after the switch, same numbers.
    await qa.locator(byTestId('locale-switch')).click();
    await qa.locator('.metrics-page h2', { hasText: 'Dashboards' }).waitFor();
    await drawn(qa, 'metrics-business-section', '');
    expect(await qa.locator(byTestId('metrics-card', '[data-card="calls"]')).innerText()).toBe(`${(await api('/api/metrics/summary')).calls}\nCalls`);
    await qa.locator(byTestId('nav-heat-map')).click();
    await waitForAttr(qa.locator(byTestId('heat-holder')), 'data-ready', 'true', 15_000);
    await qa.locator(byTestId('nav-home')).click();
    await qa.locator(byTestId('role-home', '[data-role="qa"]')).waitFor();

    const agent = await openPage(server.baseUrl);
    await loginAs(agent, 'agent1');
    await agent.goto(`${server.baseUrl}/#/metrics`);
    // A hash-only goto is a same-document navigation: the call screen from the login is still up
    // until the router has run, so wait for the router to drop the address first.
    await agent.waitForFunction(() => location.hash === '', undefined, { timeout: 15_000 });
    await agent.locator(byTestId('call-screen')).waitFor();
    expect(await agent.locator(byTestId('metrics-page')).count()).toBe(0);
    expect(await agent.locator(byTestId('open-metrics')).count()).toBe(0);
    expect(await agent.evaluate(() => location.hash)).toBe('');
    expect((await http(server.baseUrl, 'GET', '/api/metrics/summary', { token: tokens.agent1 })).status).toBe(403);
  }, 60_000);
});
