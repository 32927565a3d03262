import type { CheckMetrics, OfferMetrics } from '../../../protocol/metrics.js';
import { names } from '../app/names.js';
import { dt } from './dashboard-i18n.js';
import { ChartSlot, COLORS, dataTable, pct, percent, tableHolder } from './widgets.js';

/** Per M point (offerId null) and per offer: eligible, presented, accepted, conversion. */
export class OffersView {
  readonly table = tableHolder();
  readonly chart = new ChartSlot('chart-offers', dt('offers'), 240);

  constructor(private readonly title: (flowId: string) => string) {}

  render(rows: OfferMetrics[]): void {
    const offerName = (o: OfferMetrics) => (o.offerId ? names.offer(o.offerId) : dt('wholePoint'));
    this.table.replaceChildren(
      dataTable(
        'metrics-offers',
        [dt('business'), dt('mPoint'), dt('offer'), dt('eligible'), dt('presented'), dt('accepted'), dt('conversion')],
        rows.map((o) => ({
          attrs: {
            'data-flow-id': o.flowId,
            'data-step-id': o.stepId,
            'data-offer-id': o.offerId ?? '',
            class: o.offerId === null ? 'm-point' : '',
          },
          cells: [
            this.title(o.flowId),
            names.step(o.flowId, o.stepId),
            offerName(o),
            { key: 'eligible', value: o.eligible, text: String(o.eligible) },
            { key: 'presented', value: o.presented, text: String(o.presented) },
            { key: 'accepted', value: o.accepted, text: String(o.accepted) },
            { key: 'conversion', value: o.conversion, text: pct(o.conversion) },
          ],
        })),
      ),
    );
    this.chart.draw(
      'bar',
      {
        labels: rows.map((o) => `${names.step(o.flowId, o.stepId)} · ${offerName(o)}`),
        datasets: [
          { label: dt('eligible'), data: rows.map((o) => o.eligible), backgroundColor: COLORS.eligible },
          { label: dt('presented'), data: rows.map((o) => o.presented), backgroundColor: COLORS.offer },
          { label: dt('accepted'), data: rows.map((o) => o.accepted), backgroundColor: COLORS.accepted },
        ],
      },
      { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    );
  }
}

/** Per automatic compliance check: applicable calls, passed, pass rate. */
export class ComplianceView {
  readonly table = tableHolder();
  readonly chart = new ChartSlot('chart-compliance', dt('compliance'), 240);

  render(rows: CheckMetrics[]): void {
    this.table.replaceChildren(
      dataTable(
        'metrics-compliance',
        [dt('check'), dt('applicable'), dt('passed'), dt('passRate')],
        rows.map((c) => ({
          attrs: { 'data-check-id': c.checkId },
          cells: [
            names.check(c.checkId),
            { key: 'applicable', value: c.applicable, text: String(c.applicable) },
            { key: 'passed', value: c.passed, text: String(c.passed) },
            { key: 'rate', value: c.rate, text: pct(c.rate) },
          ],
        })),
      ),
    );
    this.chart.draw(
      'bar',
      {
        labels: rows.map((c) => names.check(c.checkId)),
        datasets: [
          {
            label: dt('passRate'),
            data: rows.map((c) => percent(c.rate)),
            backgroundColor: rows.map((c) => (c.rate !== null && c.rate < 1 ? COLORS.bad : COLORS.good)),
          },
        ],
      },
      { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, max: 100 } } },
    );
  }
}
