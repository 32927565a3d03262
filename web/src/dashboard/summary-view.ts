import type { MetricsSummary } from '../../../protocol/metrics.js';
import { h } from '../app/dom.js';
import { label } from '../app/i18n.js';
import { dt } from './dashboard-i18n.js';
import { LANES } from '../editor/blueprint-layout.js';
import { ChartSlot, COLORS, dataTable, LANE_COLORS, ms, num, pct, percent, sec, tableHolder } from './widgets.js';

/** MetricsSummary cards and the handle-time split chart (agent vs back-end wait, and by lane). */
export class SummaryView {
  readonly cards = h('div', { class: 'floor-tiles metrics-cards', 'data-testid': 'metrics-cards' });
  readonly lanes = h('div', { class: 'metrics-lanes' });
  readonly handleChart = new ChartSlot('chart-handle-time', dt('handleSplit'), 170);

  render(s: MetricsSummary): void {
    const card = (key: string, text: string, value: number | null, shown: string) =>
      h(
        'div',
        { class: 'floor-tile', 'data-testid': 'metrics-card', 'data-card': key },
        h('span', { class: 'value', 'data-testid': `metrics-card-${key}`, 'data-value': JSON.stringify(value) }, shown),
        h('span', { class: 'label' }, text),
      );
    const t = s.handleTime;
    this.cards.replaceChildren(
      card('calls', dt('calls'), s.calls, String(s.calls)),
      card('avgMs', dt('avgHandle'), t.avgMs, ms(t.avgMs)),
      card('p90Ms', dt('p90Handle'), t.p90Ms, ms(t.p90Ms)),
      card('agentMs', dt('agentTime'), t.agentMs, ms(t.agentMs)),
      card('waitMs', dt('waitTime'), t.waitMs, ms(t.waitMs)),
    );
    this.lanes.replaceChildren(
      dataTable(
        'metrics-lanes',
        [dt('byLane'), dt('laneTime')],
        LANES.map((lane) => ({
          attrs: { 'data-lane': lane },
          cells: [label(lane), { key: 'ms', value: t.byLane[lane] ?? null, text: ms(t.byLane[lane]) }],
        })),
      ),
    );
    this.handleChart.draw(
      'bar',
      {
        labels: [dt('agentVsWait'), dt('byLane')],
        datasets: [
          { label: dt('agentPart'), data: [sec(t.agentMs), null], backgroundColor: COLORS.agent, stack: 'time' },
          { label: dt('waitPart'), data: [sec(t.waitMs), null], backgroundColor: COLORS.wait, stack: 'time' },
          ...LANES.map((lane) => ({
            label: label(lane),
            data: [null, sec(t.byLane[lane])],
            backgroundColor: LANE_COLORS[lane],
            stack: 'time',
          })),
        ],
      },
      { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
    );
  }
}

/** Per business: success, FCR, agent steps against the ≤ 3 target, marketing; two charts. */
export class BusinessesView {
  readonly table = tableHolder();
  readonly rateChart = new ChartSlot('chart-success-fcr', dt('successFcr'));
  readonly stepsChart = new ChartSlot('chart-agent-steps', dt('stepsVsTarget'));

  constructor(private readonly title: (flowId: string) => string) {}

  render(s: MetricsSummary): void {
    const name = (flowId: string, version: number) => `${this.title(flowId)} v${version}`;
    this.table.replaceChildren(
      dataTable(
        'metrics-businesses',
        [
          dt('business'),
          dt('segments'),
          dt('successRate'),
          dt('fcrRate'),
          dt('agentSteps'),
          dt('overTarget'),
          dt('mktEligible'),
          dt('mktPresented'),
          dt('mktRate'),
          dt('mktAccepted'),
          dt('mktConversion'),
        ],
        s.businesses.map((b) => ({
          attrs: { 'data-flow-id': b.flowId, 'data-version': String(b.version) },
          cells: [
            name(b.flowId, b.version),
            { key: 'calls', value: b.calls, text: String(b.calls) },
            { key: 'successRate', value: b.successRate, text: pct(b.successRate) },
            { key: 'fcrRate', value: b.fcrRate, text: pct(b.fcrRate) },
            {
              key: 'agentSteps.avg',
              value: b.agentSteps.avg,
              text: `${num(b.agentSteps.avg)} / ${num(b.agentSteps.min)} (${dt('target', { n: b.agentSteps.target })})`,
            },
            { key: 'agentSteps.overTarget', value: b.agentSteps.overTarget, text: String(b.agentSteps.overTarget) },
            { key: 'marketing.eligible', value: b.marketing.eligible, text: String(b.marketing.eligible) },
            { key: 'marketing.presented', value: b.marketing.presented, text: String(b.marketing.presented) },
            { key: 'marketing.rate', value: b.marketing.rate, text: pct(b.marketing.rate) },
            { key: 'marketing.accepted', value: b.marketing.accepted, text: String(b.marketing.accepted) },
            { key: 'marketing.conversion', value: b.marketing.conversion, text: pct(b.marketing.conversion) },
          ],
        })),
      ),
    );
    const labels = s.businesses.map((b) => name(b.flowId, b.version));
    this.rateChart.draw(
      'bar',
      {
        labels,
        datasets: [
          { label: dt('successRate'), data: s.businesses.map((b) => percent(b.successRate)), backgroundColor: COLORS.good },
          { label: dt('fcrRate'), data: s.businesses.map((b) => percent(b.fcrRate)), backgroundColor: COLORS.fcr },
        ],
      },
      { scales: { y: { beginAtZero: true, max: 100 } } },
    );
    this.stepsChart.draw(
      'bar',
      {
        labels,
        datasets: [
          { label: dt('agentSteps'), data: s.businesses.map((b) => b.agentSteps.avg), backgroundColor: COLORS.agent, order: 2 },
          {
            type: 'line',
            label: dt('targetLine'),
            data: s.businesses.map((b) => b.agentSteps.target),
            borderColor: COLORS.bad,
            backgroundColor: COLORS.bad,
            borderDash: [6, 4],
            pointRadius: 0,
            order: 1,
          },
        ],
      },
      { scales: { y: { beginAtZero: true } } },
    );
  }
}
