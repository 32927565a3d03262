/**
 * The supervisors'/QA dashboards in real Chromium against the real server. Calls with known outcomes
 * are made over the WebSocket first (test/support/metrics-calls.ts: completed, not eligible, failed
 * once and retried, ticket raised, locked, abandoned, an accepted offer — and a v2 without the upsell
 * step, published through authoring, with two calls on it). Every figure on the pages is compared
 * with what the JSON endpoint answers for the same filter (never a number written here), every chart
 * with the chart.js instance's data, every CSV button with the server's CSV. The heat map over the same calls: heat-map.browser-spec.ts.
 */
import { byTestId, download, waitForAttr } from '../support/browser';
import { csvLines, drawn, expectChart, tableRows } from '../support/dashboard-page';
import { DASHBOARD_SUITE, MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/client';

const sec = (v: number | null) => (v === null ? null : Math.round(v / 100) / 10);
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

describe('dashboards (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite(DASHBOARD_SUITE);
  const { tokens } = server;
  const gen = new MetricsCalls(server);
  const api = (path: string) => gen.supervisorGet(path);

  beforeAll(() => gen.dashboardCalls(), 120_000);

  it('supervisor1: summary, businesses, offers, compliance and the version comparison show what the endpoints answer; charts; CSV; the filter changes the numbers', async () => {
    const page = await openAs('supervisor1');
    await expectAccessible(page, 'supervisor home (zh-CN)');
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
    // The row of suspend-service's file version shows its success rate as a percentage.
    const row = summary.businesses.findIndex((b: any) => b.flowId === SUSPEND && b.version === 2);
    expect(businesses[row].text).toContain(`${(summary.businesses[row].successRate * 100).toFixed(1)}%`);
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
    await expectAccessible(page, 'dashboard: summary, businesses, offers, compliance (zh-CN)');

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
    await expectChart(page, 'chart-compliance', {
      labels: checkRows.map((r) => r.text[0]), // each check by its title (web/src/app/names.ts)
      data: [checks.map((c: any) => percent(c.rate))],
    });
    expect((await download(page, 'compliance-csv')).text).toBe(await api('/api/metrics/compliance?format=csv'));
    await page.locator(byTestId('metrics-offers-section')).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '26-metrics-offers-compliance');

    // Version comparison: suspend-service v1 against v2 (picked by default: the two latest that ran).
    expect(await page.locator(byTestId('compare-flow')).inputValue()).toBe(SUSPEND);
    expect([await page.locator(byTestId('compare-a')).inputValue(), await page.locator(byTestId('compare-b')).inputValue()]).toEqual(['2', '3']);
    await drawn(page, 'metrics-compare', `flowId=${SUSPEND}&a=2&b=3`);
    const cmp = await api(`/api/metrics/compare?flowId=${SUSPEND}&a=2&b=3`);
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
    expect((await download(page, 'compare-csv')).text).toBe(await api(`/api/metrics/compare?flowId=${SUSPEND}&a=2&b=3&format=csv`));
    await page.locator(byTestId('metrics-compare')).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '27-version-compare');
    await expectAccessible(page, 'dashboard: version comparison drawn (zh-CN)');

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
    await drawn(page, 'metrics-compare', `agent=agent2&flowId=${SUSPEND}&a=2&b=3`);
    const cmp2 = await api(`/api/metrics/compare?flowId=${SUSPEND}&a=2&b=3&agent=agent2`);
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

  it('QA opens the dashboards (no live floor link); an agent is sent back to the call screen', async () => {
    const qa = await openAs('qa1');
    await qa.locator(byTestId('open-metrics')).click();
    await drawn(qa, 'metrics-business-section', '');
    expect(await qa.locator(byTestId('metrics-card-calls')).innerText()).toBe(String((await api('/api/metrics/summary')).calls));
    expect(await qa.locator(byTestId('nav-floor')).count()).toBe(0);
    // Bilingual like the rest: English after the switch, same numbers.
    await qa.locator(byTestId('locale-switch')).click();
    await qa.locator('.metrics-page h2', { hasText: 'Dashboards' }).waitFor();
    await drawn(qa, 'metrics-business-section', '');
    expect(await qa.locator(byTestId('metrics-card', '[data-card="calls"]')).innerText()).toBe(`${(await api('/api/metrics/summary')).calls}\nCalls`);
    await expectAccessible(qa, 'dashboard as QA (en)');
    await qa.locator(byTestId('nav-heat-map')).click();
    await waitForAttr(qa.locator(byTestId('heat-holder')), 'data-ready', 'true', 15_000);
    await expectAccessible(qa, 'heat map as QA (en)');
    await qa.locator(byTestId('nav-home')).click();
    await qa.locator(byTestId('role-home', '[data-role="qa"]')).waitFor();
    await expectAccessible(qa, 'QA home, call finder (en)');

    const agent = await openAs('agent1');
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
