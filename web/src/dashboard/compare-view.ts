import type { FlowVersions } from '../../../protocol/authoring.js';
import type { Comparison } from '../../../protocol/metrics.js';
import { queryString } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick } from '../app/i18n.js';
import { type DashboardKey, dt } from './dashboard-i18n.js';
import { metricsApi, metricsPaths, type MetricsFilter } from './metrics-api.js';
import { ChartSlot, COLORS, csvButton, dataTable, ms, num, pct, percent, tableHolder } from './widgets.js';

const PICK_KEY = 'laihua.metrics.compare';

/** How each compared metric is named and printed. */
const METRICS: Record<string, { label: DashboardKey; show: (v: number | null) => string; rate?: boolean }> = {
  'sampleSize.calls': { label: 'calls', show: num },
  'sampleSize.segments': { label: 'segmentCount', show: num },
  'handleTime.avgMs': { label: 'avgHandle', show: ms },
  'handleTime.p90Ms': { label: 'p90Handle', show: ms },
  successRate: { label: 'successRate', show: pct, rate: true },
  fcrRate: { label: 'fcrRate', show: pct, rate: true },
  'agentSteps.avg': { label: 'agentSteps', show: num },
  'agentSteps.overTarget': { label: 'overTarget', show: num },
  'marketing.eligible': { label: 'mktEligible', show: num },
  'marketing.rate': { label: 'mktRate', show: pct, rate: true },
  'marketing.conversion': { label: 'mktConversion', show: pct, rate: true },
};
const signed = (text: string, v: number | null) => (v !== null && v > 0 ? `+${text}` : text);

/**
 * Two versions of a flow side by side (the filter applies, except its version): sample sizes, the
 * differences table (b − a) and a chart of the rates. Its own flow/version pickers.
 */
export class CompareView {
  readonly element: HTMLElement;
  readonly chart = new ChartSlot('chart-compare', dt('compareRates'), 230);
  private readonly flowPick: HTMLSelectElement;
  private readonly aPick = h('select', { 'data-testid': 'compare-a' });
  private readonly bPick = h('select', { 'data-testid': 'compare-b' });
  private readonly body = tableHolder();
  private readonly samples = h('p', { class: 'muted', 'data-testid': 'compare-samples' });
  private readonly error = h('p', { class: 'error-text', role: 'alert', hidden: true });
  private filter: MetricsFilter = {};
  private run = 0;

  constructor(
    private readonly token: string,
    private readonly flows: FlowVersions[],
  ) {
    const comparable = flows.filter((f) => this.versions(f.id).length > 0);
    this.flowPick = h(
      'select',
      { 'data-testid': 'compare-flow' },
      comparable.map((f) => h('option', { value: f.id }, pick(f.title))),
    );
    const saved = JSON.parse(sessionStorage.getItem(PICK_KEY) ?? '{}') as { flowId?: string; a?: string; b?: string };
    this.flowPick.value =
      saved.flowId && comparable.some((f) => f.id === saved.flowId)
        ? saved.flowId
        : ((comparable.find((f) => this.versions(f.id).length > 1) ?? comparable[0])?.id ?? '');
    this.fillVersions(saved.a, saved.b);
    this.flowPick.addEventListener('change', () => {
      this.fillVersions();
      this.load();
    });
    for (const el of [this.aPick, this.bPick]) el.addEventListener('change', () => this.load());
    this.element = h(
      'section',
      { class: 'card metrics-section', 'data-testid': 'metrics-compare', 'data-state': 'loading' },
      h(
        'div',
        { class: 'metrics-section-head' },
        h('h3', {}, dt('compare')),
        h('span', { class: 'spacer' }),
        csvButton(
          token,
          'compare-csv',
          () => this.path(),
          (m) => this.showError(m),
        ),
      ),
      h(
        'div',
        { class: 'qa-filters compare-pick' },
        h('label', {}, h('span', {}, dt('flow')), this.flowPick),
        h('label', {}, h('span', {}, dt('versionA')), this.aPick),
        h('label', {}, h('span', {}, dt('versionB')), this.bPick),
      ),
      this.error,
      this.samples,
      h('div', { class: 'metrics-two' }, this.body, this.chart.element),
    );
  }

  private versions(flowId: string): number[] {
    return (
      this.flows
        .find((f) => f.id === flowId)
        ?.versions.filter((v) => v.everPublished)
        .map((v) => v.version)
        .sort((x, y) => x - y) ?? []
    );
  }

  /** By default the two latest versions that ever ran (older as A). */
  private fillVersions(a?: string, b?: string): void {
    const vs = this.versions(this.flowPick.value);
    for (const el of [this.aPick, this.bPick]) el.replaceChildren(...vs.map((v) => h('option', { value: String(v) }, `v${v}`)));
    const has = (x?: string) => x !== undefined && vs.includes(Number(x));
    // A pick kept from before is used only when it still compares two different versions.
    const keep = has(a) && has(b) && (a !== b || vs.length < 2);
    this.aPick.value = keep ? a! : String(vs.at(-2) ?? vs[0] ?? '');
    this.bPick.value = keep ? b! : String(vs.at(-1) ?? '');
  }

  private path(): string | null {
    const [flowId, a, b] = [this.flowPick.value, Number(this.aPick.value), Number(this.bPick.value)];
    return flowId && a && b ? metricsPaths.compare(flowId, a, b, this.filter) : null;
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  update(filter: MetricsFilter): void {
    this.filter = filter;
    this.load();
  }

  private load(): void {
    const [flowId, a, b] = [this.flowPick.value, Number(this.aPick.value), Number(this.bPick.value)];
    sessionStorage.setItem(PICK_KEY, JSON.stringify({ flowId, a: this.aPick.value, b: this.bPick.value }));
    const run = ++this.run;
    this.error.hidden = true;
    if (!flowId || !a || !b) {
      this.body.replaceChildren(h('p', { class: 'muted' }, dt('pickVersions')));
      return;
    }
    this.element.dataset.state = 'loading';
    metricsApi.compare(this.token, flowId, a, b, this.filter).then(
      (cmp) => {
        if (run !== this.run) return;
        this.render(cmp);
        this.element.dataset.query = queryString({ ...this.filter, version: undefined, flowId, a, b });
        this.element.dataset.state = 'ready';
      },
      (e: { code?: string }) => run === this.run && this.showError(errorText(e.code ?? 'INTERNAL')),
    );
  }

  private render(cmp: Comparison): void {
    this.samples.replaceChildren(
      `${dt('sample')}: `,
      h(
        'span',
        { 'data-testid': 'compare-sample-a', 'data-calls': cmp.a.sampleSize.calls, 'data-segments': cmp.a.sampleSize.segments },
        dt('sampleOf', { v: cmp.a.version, ...cmp.a.sampleSize }),
      ),
      ' · ',
      h(
        'span',
        { 'data-testid': 'compare-sample-b', 'data-calls': cmp.b.sampleSize.calls, 'data-segments': cmp.b.sampleSize.segments },
        dt('sampleOf', { v: cmp.b.version, ...cmp.b.sampleSize }),
      ),
    );
    const show = (metric: string, v: number | null) => (METRICS[metric]?.show ?? num)(v);
    this.body.replaceChildren(
      dataTable(
        'compare-table',
        [dt('metric'), `v${cmp.a.version}`, `v${cmp.b.version}`, dt('delta')],
        cmp.differences.map((d) => ({
          attrs: { 'data-metric': d.metric, class: d.delta ? (d.delta > 0 ? 'up' : 'down') : '' },
          cells: [
            METRICS[d.metric] ? dt(METRICS[d.metric].label) : d.metric,
            { key: 'a', value: d.a, text: show(d.metric, d.a) },
            { key: 'b', value: d.b, text: show(d.metric, d.b) },
            { key: 'delta', value: d.delta, text: signed(show(d.metric, d.delta), d.delta) },
          ],
        })),
      ),
    );
    const rates = cmp.differences.filter((d) => METRICS[d.metric]?.rate);
    this.chart.draw(
      'bar',
      {
        labels: rates.map((d) => dt(METRICS[d.metric].label)),
        datasets: [
          { label: `v${cmp.a.version} (n=${cmp.a.sampleSize.segments})`, data: rates.map((d) => percent(d.a)), backgroundColor: COLORS.a },
          { label: `v${cmp.b.version} (n=${cmp.b.sampleSize.segments})`, data: rates.map((d) => percent(d.b)), backgroundColor: COLORS.b },
        ],
      },
      { scales: { y: { beginAtZero: true, max: 100 } } },
    );
  }

  destroy(): void {
    this.run++;
    this.chart.destroy();
  }
}
