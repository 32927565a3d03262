import type { FlowVersions } from '../../../protocol/authoring.js';
import type { StepMetrics } from '../../../protocol/metrics.js';
import { queryString, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, label, locale, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { authoringApi, type FlowJson } from '../editor/authoring-api.js';
import { NODE_H } from '../editor/blueprint-layout.js';
import { renderBlueprint } from '../editor/blueprint-view.js';
import { loadFlows } from './dashboard-page.js';
import { dt } from './dashboard-i18n.js';
import { dashboardNav } from './dashboard-nav.js';
import { loadFilter, renderFilterBar } from './filter-bar.js';
import { heatColor, isDark, type Measure, MEASURES, type MeasureId, renderLegend } from './heat-scale.js';
import { metricsApi, metricsPaths, type MetricsFilter } from './metrics-api.js';
import { csvButton, dataTable, ms, num, pct, tableHolder as scrollableTable } from './widgets.js';

const MEASURE_KEY = 'laihua.metrics.heatMeasure';

/** The version drawn: the one filtered on, else the one in force, else the latest that ever ran. */
function drawnVersion(flow: FlowVersions | undefined, filter: MetricsFilter): number | null {
  if (!flow) return null;
  if (filter.version) return Number(filter.version);
  return flow.inForce ?? flow.versions.filter((v) => v.everPublished).at(-1)?.version ?? flow.versions.at(-1)?.version ?? null;
}

/**
 * The blueprint heat map (#/metrics/heat-map): the chosen flow drawn exactly as the editor draws it
 * (same elkjs lane layout, web/src/editor/blueprint-*.ts), each step filled by the chosen measure from
 * /api/metrics/flows/:flowId/steps, a legend with numbers, figures on the boxes and in tooltips, and
 * the step table with its CSV. A new measure repaints; only a new flow/version is laid out again.
 */
export function mountHeatMap(container: HTMLElement, session: Session): () => void {
  const page = h(
    'section',
    { class: 'metrics-page heat-map', 'data-testid': 'heat-map-page' },
    h('div', { class: 'floor-head' }, h('h2', {}, dt('heatMap')), h('span', { class: 'spacer' }), dashboardNav(session, 'heat-map')),
    h('p', { class: 'muted' }, dt('loading')),
  );
  container.replaceChildren(page);
  let left = false;
  loadFlows(session.token).then(
    ({ flows }) => {
      if (!left) build(page, session, flows);
    },
    (e: { code?: string }) => page.append(h('p', { class: 'error-text', role: 'alert' }, errorText(e.code ?? 'INTERNAL'))),
  );
  return () => {
    left = true;
  };
}

function build(page: HTMLElement, session: Session, flows: FlowVersions[]): void {
  const token = session.token;
  const definitions = new Map<string, Promise<FlowJson>>();
  const definitionOf = (flowId: string, version: number) => {
    const key = `${flowId}@${version}`;
    if (!definitions.has(key))
      definitions.set(
        key,
        authoringApi.version(token, flowId, version).then((d) => d.definition ?? {}),
      );
    return definitions.get(key)!;
  };

  const error = h('p', { class: 'error-text', 'data-testid': 'heat-error', role: 'alert', hidden: true });
  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = false;
  };
  const measurePick = h(
    'select',
    { 'data-testid': 'heat-measure' },
    MEASURES.map((m) => h('option', { value: m.id }, dt(m.label))),
  );
  measurePick.value = MEASURES.some((m) => m.id === sessionStorage.getItem(MEASURE_KEY)) ? sessionStorage.getItem(MEASURE_KEY)! : 'avgMs';
  const drawn = h('span', { class: 'muted', 'data-testid': 'heat-drawn-version' });
  const legendHolder = h('div', { class: 'heat-legend-holder' });
  const holder = h('div', { class: 'blueprint-holder heat-holder', 'data-testid': 'heat-holder', 'data-ready': 'false' });
  const tableHolder = scrollableTable();
  const tableSection = h('section', { class: 'card metrics-section', 'data-testid': 'heat-steps-section', 'data-state': 'loading' });

  let filter: MetricsFilter = {};
  let shown: { key: string; definition: FlowJson; boxes: Map<string, SVGGElement> } | null = null;
  let steps: StepMetrics[] = [];
  let run = 0;

  const measure = (): Measure => MEASURES.find((m) => m.id === (measurePick.value as MeasureId)) ?? MEASURES[0];
  const titleOf = (stepId: string) => shown?.definition.machine?.states?.[stepId]?.meta?.title?.[locale()] ?? names.step(shown?.key.split('@')[0], stepId);

  /** Colours every box by the measure; the legend runs from 0 to the largest value among the steps. */
  const paint = () => {
    if (!shown) return;
    const m = measure();
    const total = steps.reduce((n, s) => n + s.dropOffs, 0);
    const byId = new Map(steps.map((s) => [s.stepId, s]));
    const values = new Map([...shown.boxes.keys()].map((id) => [id, byId.has(id) ? m.value(byId.get(id)!, total) : null]));
    const max = Math.max(0, ...[...values.values()].filter((v): v is number => v !== null));
    for (const [id, box] of shown.boxes) {
      const value = values.get(id) ?? null;
      const color = heatColor(value, max);
      const s = byId.get(id);
      box.querySelector<SVGRectElement>('.bp-box')!.style.fill = color;
      box.classList.toggle('heat-dark', isDark(color));
      Object.assign(box.dataset, { heatValue: JSON.stringify(value), heatColor: color, visits: String(s?.visits ?? 0) });
      box.querySelector('.bp-figure')!.textContent = s ? `${m.format(value)} · n=${s.visits}` : dt('noData');
      box.querySelector('title')!.textContent = [
        titleOf(id),
        `${dt(m.label)}: ${m.format(value)}`,
        s ? `${dt('visits')} ${s.visits} · ${dt('avg')} ${ms(s.avgMs)} · ${dt('p90')} ${ms(s.p90Ms)}` : dt('noData'),
        s ? `${dt('failures')} ${s.failures.count} (${pct(s.failures.rate)}) · ${dt('dropOffs')} ${s.dropOffs}` : '',
      ]
        .filter(Boolean)
        .join('\n');
    }
    legendHolder.replaceChildren(renderLegend(m, max));
    holder.dataset.measure = m.id;
  };

  const renderTable = () => {
    const total = steps.reduce((n, s) => n + s.dropOffs, 0);
    tableHolder.replaceChildren(
      dataTable(
        'heat-steps',
        [
          dt('step'),
          dt('lane'),
          dt('marks'),
          dt('visits'),
          dt('avg'),
          dt('p90'),
          dt('waits'),
          dt('waitP50'),
          dt('waitP90'),
          dt('failures'),
          dt('failRate'),
          dt('causes'),
          dt('dropOffs'),
          dt('dropShare'),
        ],
        steps.map((s) => ({
          attrs: { 'data-step-id': s.stepId },
          cells: [
            titleOf(s.stepId),
            label(s.lane),
            s.marks.join(' '),
            { key: 'visits', value: s.visits, text: String(s.visits) },
            { key: 'avgMs', value: s.avgMs, text: ms(s.avgMs) },
            { key: 'p90Ms', value: s.p90Ms, text: ms(s.p90Ms) },
            { key: 'waits.count', value: s.waits.count, text: String(s.waits.count) },
            { key: 'waits.p50Ms', value: s.waits.p50Ms, text: ms(s.waits.p50Ms) },
            { key: 'waits.p90Ms', value: s.waits.p90Ms, text: ms(s.waits.p90Ms) },
            { key: 'failures.count', value: s.failures.count, text: String(s.failures.count) },
            { key: 'failures.rate', value: s.failures.rate, text: pct(s.failures.rate) },
            s.failures.topCauses.map((c) => `${names.cause(c.cause)} ×${c.count}`).join(', '),
            { key: 'dropOffs', value: s.dropOffs, text: num(s.dropOffs) },
            { key: 'dropOffShare', value: total ? s.dropOffs / total : null, text: pct(total ? s.dropOffs / total : null) },
          ],
        })),
      ),
    );
  };

  const refresh = async (f: MetricsFilter) => {
    filter = f;
    const mine = ++run;
    error.hidden = true;
    const flowId = f.flowId;
    const version = drawnVersion(
      flows.find((x) => x.id === flowId),
      f,
    );
    if (!flowId || !version) {
      holder.replaceChildren(h('p', { class: 'muted' }, dt('chooseFlow')));
      return;
    }
    holder.dataset.ready = 'false';
    tableSection.dataset.state = 'loading';
    try {
      const key = `${flowId}@${version}`;
      const [definition, rows] = await Promise.all([definitionOf(flowId, version), metricsApi.steps(token, flowId, f)]);
      if (mine !== run) return;
      if (shown?.key !== key) {
        const boxes = new Map<string, SVGGElement>();
        const svg = await renderBlueprint(definition, {
          decorate: (step, box) => {
            // The figure takes the step id's place (the id is in the tooltip and the table).
            const figure = document.createElementNS('http://www.w3.org/2000/svg', 'text');
            figure.setAttribute('class', 'bp-figure');
            figure.setAttribute('x', '8');
            figure.setAttribute('y', String(NODE_H - 6));
            box.append(figure);
            boxes.set(step.id, box);
          },
          onSelect: (id) => tableHolder.querySelector<HTMLElement>(`[data-step-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'center' }),
        });
        if (mine !== run) return;
        holder.replaceChildren(svg);
        shown = { key, definition, boxes };
      }
      steps = rows;
      drawn.textContent = dt('drawnVersion', { flow: pick(flows.find((x) => x.id === flowId)?.title), v: version });
      paint();
      renderTable();
      const query = queryString(f);
      Object.assign(holder.dataset, { ready: 'true', flowId, version: String(version), query });
      Object.assign(tableSection.dataset, { state: 'ready', query });
    } catch (e) {
      if (mine === run) showError(errorText((e as { code?: string }).code ?? 'INTERNAL'));
    }
  };

  measurePick.addEventListener('change', () => {
    sessionStorage.setItem(MEASURE_KEY, measurePick.value);
    paint();
  });
  const bar = renderFilterBar(flows, loadFilter(), (f) => void refresh(f), { flowRequired: true });
  tableSection.append(
    h(
      'div',
      { class: 'metrics-section-head' },
      h('h3', {}, dt('steps')),
      h('span', { class: 'spacer' }),
      csvButton(token, 'heat-steps-csv', () => (filter.flowId ? metricsPaths.steps(filter.flowId, filter) : null), showError),
    ),
    tableHolder,
  );
  page.replaceChildren(
    page.firstElementChild!,
    bar.element,
    error,
    h('div', { class: 'card heat-controls' }, h('label', {}, `${dt('measure')} `, measurePick), drawn, legendHolder),
    holder,
    tableSection,
  );
  void refresh(bar.value());
}
