/**
 * The evaluation model's page in real Chromium against the real server, over hotline calls whose
 * needs were picked at ask-need (one "other" with the agent's words) and direct suspend calls: the
 * cards, the group table, the 50 indicators (with "no data" / "to import" / "not by this grouping"
 * where there is no value) and the quadrant — every figure compared with what the JSON endpoints
 * answer for the same filter, the charts with the chart.js instances' data; zh-CN then English.
 */
import { byTestId } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { drawn, expectChart, tableRows } from '../support/dashboard-page';
import { DASHBOARD_SUITE, MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { until } from '../support/poll';

describe('evaluation model page (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite(DASHBOARD_SUITE);
  const work = new MetricsCalls(server);
  const api = (path: string) => work.supervisorGet(path);
  let other = '';

  beforeAll(async () => {
    await work.hotline('agent1', '13800000001', 'bill', { bill: true });
    other = await work.hotline('agent1', '13800000002', 'other', { needNote: '想办宽带' });
    await work.hotline('agent2', '13900000001', 'suspend-resume');
    await work.completed('agent2', '13800000001');
    await work.abandoned('agent1', '13900000001');
    await until(
      'the 5 calls in the metrics',
      () => api('/api/metrics/summary'),
      (s: any) => s.calls === 5,
      20_000,
    );
  }, 120_000);

  it('supervisor1: scores by business and by region, every indicator, the quadrant and the other needs show what the endpoints answer', async () => {
    const page = await openAs('supervisor1');
    await page.locator(byTestId('open-evaluation')).click();
    await page.locator(byTestId('evaluation-page')).waitFor();
    await drawn(page, 'evaluation-scores-section', 'by=business');
    const scores = await api('/api/evaluation/scores?by=business');

    // Cards: the whole filter's composite and dimensions.
    expect(JSON.parse((await page.locator(byTestId('evaluation-card-composite')).getAttribute('data-value'))!)).toBe(scores.total.composite.score);
    for (const d of scores.total.dimensions)
      expect(JSON.parse((await page.locator(byTestId(`evaluation-card-${d.id}`)).getAttribute('data-value'))!)).toBe(d.score);

    // The group table: the total first, then each business.
    const rows = await tableRows(page, 'evaluation-groups');
    expect(rows.map((r) => r.attrs.group)).toEqual(['*', ...scores.groups.map((g: any) => g.key)]);
    [scores.total, ...scores.groups].forEach((g: any, i: number) =>
      expect(rows[i].values).toEqual({
        calls: g.calls,
        composite: g.composite.score,
        ...Object.fromEntries(g.dimensions.map((d: any) => [d.id, d.score])),
        'need-coverage': g.indicators.find((x: any) => x.id === 'need-coverage').value,
      }),
    );
    // Businesses by name, never by id.
    expect(rows.find((r) => r.attrs.group === SUSPEND)!.text[0]).not.toContain(SUSPEND);
    await expectChart(page, 'evaluation-chart', {
      data: [
        scores.groups.map((g: any) => g.composite.score),
        ...scores.total.dimensions.map((d: any) => scores.groups.map((g: any) => g.dimensions.find((x: any) => x.id === d.id).score)),
      ],
    });

    // All 50 indicators, each with its value and score or the reason it has none.
    const indicators = await tableRows(page, 'evaluation-indicators');
    expect(indicators).toHaveLength(50);
    for (const r of indicators) {
      const x = scores.total.indicators.find((i: any) => i.id === r.attrs.indicator);
      expect([r.attrs.indicator, r.attrs.status, r.values.value, r.values.score]).toEqual([x.id, x.status, x.value, x.score]);
    }
    const need = indicators.find((r) => r.attrs.indicator === 'need-coverage')!;
    expect(need.values.value).toBe(0.6667);
    expect(need.text[4]).toBe('66.7%');
    expect(indicators.find((r) => r.attrs.indicator === 'connection-rate')!.text[8]).toMatch(/^需要：/);
    expect(indicators.find((r) => r.attrs.indicator === 'satisfaction-score')!.text[8]).toBe('无数据');

    // The quadrant: points and chart from the endpoint.
    await drawn(page, 'evaluation-quadrant-section', '');
    const q = await api('/api/evaluation/quadrant');
    const points = await tableRows(page, 'quadrant-points');
    expect(points.map((p) => [p.attrs.flowId, p.attrs.quadrant, p.values.importance, p.values.satisfaction])).toEqual(
      q.points.map((p: any) => [p.flowId, p.quadrant ?? '', p.importance, p.satisfaction]),
    );
    const chartPoints = (quadrant: string) =>
      q.points.filter((p: any) => p.quadrant === quadrant).map((p: any) => ({ x: Math.round(p.importance * 1000) / 10, y: p.satisfaction }));
    const scatter = await until(
      'quadrant chart drawn',
      () =>
        page.evaluate(() => {
          const chart = (window as any).Chart?.getChart(document.querySelector('[data-testid="quadrant-chart"]'));
          return chart ? chart.data.datasets.slice(0, 4).map((d: any) => d.data.map((p: any) => ({ x: p.x, y: p.y }))) : null;
        }),
      (d) => d !== null,
    );
    expect(scatter).toEqual(['fix-first', 'keep-up', 'watch', 'surplus'].map(chartPoints));

    // The other needs with the agent's words.
    await drawn(page, 'other-needs-section', '');
    const needs = await tableRows(page, 'other-needs');
    expect(needs.map((r) => [r.attrs.callId, r.text[2]])).toEqual([[other, '想办宽带']]);
    await screenshot(page, '70-evaluation-model');
    await expectAccessible(page, 'evaluation model page (zh-CN)');
    await page.locator(byTestId('evaluation-quadrant-section')).scrollIntoViewIfNeeded();
    await screenshot(page, '71-evaluation-quadrant');

    // By region: the groups change, the need coverage per region.
    await page.locator(byTestId('evaluation-by')).selectOption('region');
    await drawn(page, 'evaluation-groups-section', 'by=region');
    const byRegion = await api('/api/evaluation/scores?by=region');
    const regionRows = await tableRows(page, 'evaluation-groups');
    expect(regionRows.map((r) => [r.attrs.group, r.values['need-coverage']])).toEqual([
      ['*', 0.6667],
      ...byRegion.groups.map((g: any) => [g.key, g.indicators.find((x: any) => x.id === 'need-coverage').value]),
    ]);
    expect(byRegion.groups.map((g: any) => g.key)).toEqual(['上海', '北京', '广东']);
  });

  it('QA in English: the same numbers, the model’s names in English, accessible', async () => {
    const qa = await openAs('qa1');
    await qa.locator(byTestId('locale-switch')).click();
    await qa.locator(byTestId('open-evaluation')).click();
    await qa.locator('.metrics-page h2', { hasText: 'Evaluation model' }).waitFor();
    await qa.locator(byTestId('evaluation-by')).selectOption('business');
    await drawn(qa, 'evaluation-indicators-section', 'by=business');
    const rows = await tableRows(qa, 'evaluation-indicators');
    const fcr = rows.find((r) => r.attrs.indicator === 'fcr-rate')!;
    expect(fcr.text.slice(0, 3)).toEqual(['Business operation', 'Operation quality', 'First-call resolution']);
    expect(rows.find((r) => r.attrs.indicator === 'connection-rate')!.text[8]).toMatch(/^Needs: /);
    const scores = await api('/api/evaluation/scores?by=business');
    expect(JSON.parse((await qa.locator(byTestId('evaluation-card-composite')).getAttribute('data-value'))!)).toBe(scores.total.composite.score);
    await drawn(qa, 'evaluation-quadrant-section', '');
    await expectAccessible(qa, 'evaluation model page as QA (en)');
    await screenshot(qa, '72-evaluation-model-en');
  });
});
