/**
 * The blueprint heat map in real Chromium against the real server, over the dashboards' calls with
 * known outcomes (test/support/metrics-calls.ts): the editor's lane layout, steps coloured by the
 * measure with a matching legend, figures, the step table and its CSV — every figure compared with
 * what the JSON endpoint answers for the same filter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byTestId, download, until, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { csvLines, drawn, tableRows } from '../support/dashboard-page';
import { DASHBOARD_SUITE, MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { REPO_ROOT } from '../support/server';

describe('blueprint heat map (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite(DASHBOARD_SUITE);
  const work = new MetricsCalls(server);
  const api = (path: string) => work.supervisorGet(path);

  beforeAll(() => work.dashboardCalls(), 120_000);

  it("the blueprint heat map: the editor's lane layout, steps coloured by the measure with a matching legend, figures, the step table and its CSV", async () => {
    const page = await openAs('supervisor1');
    // The editor's drawing of v2 (the file version), for the layout comparison.
    await page.goto(`${server.baseUrl}/#editor/${SUSPEND}/2`);
    await waitForAttr(page.locator(byTestId('blueprint-holder')), 'data-ready', 'true', 15_000);
    const positions = () =>
      page.locator(`${byTestId('bp-step')}`).evaluateAll((gs) => gs.map((g) => `${(g as HTMLElement).dataset.stepId}@${g.getAttribute('transform')}`).sort());
    const editorLayout = await positions();

    await page.goto(`${server.baseUrl}/#/`);
    await page.locator(byTestId('open-heat-map')).click();
    await page.locator(byTestId('heat-map-page')).waitFor();
    await page.locator(byTestId('metrics-filter-flowId')).selectOption(SUSPEND);
    await page.locator(byTestId('metrics-filter-version')).selectOption('2');
    await drawn(page, 'heat-steps-section', `flowId=${SUSPEND}&version=2`);
    await waitForAttr(page.locator(byTestId('heat-holder')), 'data-ready', 'true');
    expect(await positions()).toEqual(editorLayout);
    expect(await page.locator(byTestId('bp-lane')).count()).toBe(4);

    const steps = await api(`/api/metrics/flows/${SUSPEND}/steps?version=2`);
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
    // The step by its title (never its id), as flows/ names it.
    const titles = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows', `${SUSPEND}.json`), 'utf8')).machine.states;
    expect(await box(slowest.stepId).locator('title').textContent()).toContain(titles[slowest.stepId].meta.title['zh-CN']);
    expect(await box(slowest.stepId).locator('title').textContent()).not.toContain(slowest.stepId);
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
    expect(csv.text).toBe(await api(`/api/metrics/flows/${SUSPEND}/steps?version=2&format=csv`));
    expect(
      csvLines(csv.text)
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(rows.map((r) => r.attrs.stepId));
    // The picture: legend and the four lanes, the slowest step in view.
    await box(slowest.stepId).evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'center' }));
    await page.locator('.heat-controls').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '28-blueprint-heat-map');
    await expectAccessible(page, 'heat map, drawn with its step table (zh-CN)');

    // A filter repaints from other numbers: agent2 only worked a not-eligible call on v1.
    await page.locator(byTestId('metrics-filter-agent')).fill('agent2');
    await drawn(page, 'heat-steps-section', `flowId=${SUSPEND}&version=2&agent=agent2`);
    const few = await api(`/api/metrics/flows/${SUSPEND}/steps?version=2&agent=agent2`);
    expect((await tableRows(page, 'heat-steps')).map((r) => [r.attrs.stepId, r.values.visits])).toEqual(few.map((s: any) => [s.stepId, s.visits]));
    expect(JSON.parse((await box('verify').getAttribute('data-heat-value'))!)).toBeNull();
  }, 90_000);
});
