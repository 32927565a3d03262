import type { FlowVersions } from '../../../protocol/authoring.js';
import type {
  EvaluationModelView,
  EvaluationScores,
  GroupScores,
  IndicatorScore,
  ModelIndicator,
  OtherNeed,
  ScoreGrouping,
} from '../../../protocol/evaluation.js';
import { queryString, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { loadFlows } from './dashboard-page.js';
import { dashboardNav } from './dashboard-nav.js';
import { evaluationApi } from './evaluation-api.js';
import { et, type EvaluationKey } from './evaluation-i18n.js';
import { loadFilter, renderFilterBar } from './filter-bar.js';
import type { MetricsFilter } from './metrics-api.js';
import { QuadrantView, score } from './quadrant-view.js';
import { ChartSlot, COLORS, dataTable, ms, num, pct, tableHolder } from './widgets.js';

const BY_KEY = 'laihua.evaluation.by';
const GROUPINGS: [ScoreGrouping, EvaluationKey][] = [
  ['business', 'byBusiness'],
  ['version', 'byVersion'],
  ['region', 'byRegion'],
  ['team', 'byTeam'],
  ['month', 'byMonth'],
];
const DIM_COLORS = [COLORS.agent, COLORS.wait, COLORS.fcr];

/** An indicator's value as its unit prints. */
const shown = (x: ModelIndicator, v: number | null): string => (v === null ? '—' : x.unit === 'ratio' ? pct(v) : x.unit === 'ms' ? ms(v) : num(v));

/**
 * The evaluation model's page (#/metrics/evaluation, supervisors and QA): the composite and
 * dimension scores per group with a chart, every indicator of the model with its value, target and
 * score — or why it has none (no data, data to import, not by this grouping) — the importance ×
 * satisfaction quadrant, and the "other" needs with the agents' words. Sections carry data-state /
 * data-query like the dashboard's.
 */
export function mountEvaluation(container: HTMLElement, session: Session): () => void {
  const page = h(
    'section',
    { class: 'metrics-page', 'data-testid': 'evaluation-page' },
    h('div', { class: 'floor-head' }, h('h2', {}, et('evaluation')), h('span', { class: 'spacer' }), dashboardNav(session, 'evaluation')),
    h('p', { class: 'muted' }, et('loading')),
  );
  container.replaceChildren(page);
  let left = false;
  let cleanup = () => undefined as void;
  Promise.all([loadFlows(session.token), evaluationApi.model(session.token)]).then(
    ([{ flows, title }, model]) => {
      if (left) return;
      const slots = build(page, session, model, flows, title);
      cleanup = () => slots.forEach((s) => s.destroy());
    },
    (e: { code?: string }) => page.append(h('p', { class: 'error-text', role: 'alert' }, errorText(e.code ?? 'INTERNAL'))),
  );
  return () => {
    left = true;
    cleanup();
  };
}

function build(page: HTMLElement, session: Session, model: EvaluationModelView, flows: FlowVersions[], title: (flowId: string) => string): ChartSlot[] {
  const token = session.token;
  const indicators = model.dimensions.flatMap((d) => d.subDimensions.flatMap((s) => s.indicators.map((x) => ({ d, s, x }))));
  const error = h('p', { class: 'error-text', 'data-testid': 'evaluation-error', role: 'alert', hidden: true });
  const scoresChart = new ChartSlot('evaluation-chart', et('scoresChart'), 260);
  const quadrant = new QuadrantView(model, title);
  const cards = h('div', { class: 'floor-tiles metrics-cards', 'data-testid': 'evaluation-cards' });
  const groupsHolder = tableHolder();
  const indicatorsHolder = tableHolder();
  const needsHolder = h('div');
  const bySelect = h(
    'select',
    { 'data-testid': 'evaluation-by' },
    GROUPINGS.map(([by, key]) => h('option', { value: by }, et(key))),
  );
  bySelect.value = sessionStorage.getItem(BY_KEY) ?? 'business';

  const groupName = (by: ScoreGrouping, key: string, name?: string | null): string => {
    if (by === 'business') return title(key);
    if (by === 'version') return names.business(key);
    if (by === 'region') return names.region(key);
    if (by === 'team') return name ?? et('noTeam');
    return key;
  };
  const section = (testid: string, heading: string, ...body: (HTMLElement | null)[]) =>
    h(
      'section',
      { class: 'card metrics-section', 'data-testid': testid, 'data-state': 'loading' },
      h('div', { class: 'metrics-section-head' }, h('h3', {}, heading), h('span', { class: 'spacer' })),
      ...body,
    );
  const scoresSection = section('evaluation-scores-section', et('scoresChart'), cards, scoresChart.element);
  const groupsSection = section('evaluation-groups-section', et('groups'), groupsHolder);
  const indicatorsSection = section('evaluation-indicators-section', et('indicators'), indicatorsHolder);
  const quadrantSection = section('evaluation-quadrant-section', et('quadrant'), quadrant.element);
  const needsSection = section('other-needs-section', et('otherNeeds'), needsHolder);

  const renderScores = (s: EvaluationScores) => {
    const card = (key: string, text: string, w: { score: number | null; coverage: number }) =>
      h(
        'div',
        { class: 'floor-tile', 'data-testid': 'evaluation-card', 'data-card': key },
        h('span', { class: 'value', 'data-testid': `evaluation-card-${key}`, 'data-value': JSON.stringify(w.score) }, score(w.score)),
        h('span', { class: 'label' }, `${text} · ${et('coverage', { p: pct(w.coverage) })}`),
      );
    cards.replaceChildren(
      card('composite', et('composite'), s.total.composite),
      ...model.dimensions.map((d, i) => card(d.id, pick(d.name), s.total.dimensions[i])),
    );
    const dimOf = (g: GroupScores, id: string) => g.dimensions.find((d) => d.id === id)?.score ?? null;
    scoresChart.draw(
      'bar',
      {
        labels: s.groups.map((g) => groupName(s.by, g.key, g.name)),
        datasets: [
          { label: et('composite'), data: s.groups.map((g) => g.composite.score), backgroundColor: COLORS.offer },
          ...model.dimensions.map((d, i) => ({
            label: pick(d.name),
            data: s.groups.map((g) => dimOf(g, d.id)),
            backgroundColor: DIM_COLORS[i % DIM_COLORS.length],
          })),
        ],
      },
      { scales: { y: { beginAtZero: true, max: 100 } } },
    );
    const coverageOf = (g: GroupScores) => g.indicators.find((x) => x.id === 'need-coverage') ?? null;
    groupsHolder.replaceChildren(
      dataTable(
        'evaluation-groups',
        [et('group'), et('calls'), et('composite'), ...model.dimensions.map((d) => pick(d.name)), et('needCoverage')],
        [s.total, ...s.groups].map((g) => ({
          attrs: { 'data-group': g.key },
          cells: [
            g === s.total ? et('allGroups') : groupName(s.by, g.key, g.name),
            { key: 'calls', value: g.calls, text: String(g.calls) },
            { key: 'composite', value: g.composite.score, text: score(g.composite.score) },
            ...model.dimensions.map((d) => ({ key: d.id, value: dimOf(g, d.id), text: score(dimOf(g, d.id)) })),
            { key: 'need-coverage', value: coverageOf(g)?.value ?? null, text: pct(coverageOf(g)?.value ?? null) },
          ],
        })),
      ),
    );
    const byId = new Map<string, IndicatorScore>(s.total.indicators.map((x) => [x.id, x]));
    const status = (x: ModelIndicator, r: IndicatorScore | undefined) =>
      r?.status === 'imported' && x.needs
        ? et('needs', { what: pick(x.needs) })
        : r?.status === 'no-data'
          ? et('noData')
          : r?.status === 'not-by-group'
            ? et('notByGroup')
            : x.direction === 'none'
              ? et('notScored')
              : et(x.direction);
    indicatorsHolder.replaceChildren(
      dataTable(
        'evaluation-indicators',
        [et('dimension'), et('subDimension'), et('indicator'), et('source'), et('value'), et('target'), et('score'), et('weight'), ''],
        indicators.map(({ d, s: sd, x }) => {
          const r = byId.get(x.id);
          return {
            attrs: { 'data-indicator': x.id, 'data-status': r?.status ?? 'no-data' },
            cells: [
              pick(d.name),
              pick(sd.name),
              pick(x.name),
              et(x.source),
              { key: 'value', value: r?.value ?? null, text: shown(x, r?.value ?? null) },
              { key: 'target', value: x.target ?? null, text: x.target === undefined ? '—' : shown(x, x.target) },
              { key: 'score', value: r?.score ?? null, text: score(r?.score ?? null) },
              { key: 'weight', value: x.weight, text: String(x.weight) },
              status(x, r),
            ],
          };
        }),
      ),
    );
  };

  const renderNeeds = (rows: OtherNeed[]) =>
    needsHolder.replaceChildren(
      dataTable(
        'other-needs',
        [et('day'), et('region'), et('note')],
        rows.map((r) => ({ attrs: { 'data-call-id': r.callId }, cells: [r.day, names.region(r.region), r.note ?? et('erased')] })),
      ),
    );

  let run = 0;
  let filter: MetricsFilter = loadFilter();
  const refresh = (f: MetricsFilter) => {
    filter = f;
    const mine = ++run;
    error.hidden = true;
    const by = bySelect.value as ScoreGrouping;
    const query = queryString(f);
    const load = <T>(fetch: Promise<T>, sections: HTMLElement[], render: (x: T) => void, q = query) => {
      for (const s of sections) s.dataset.state = 'loading';
      fetch.then(
        (x) => {
          if (mine !== run) return;
          render(x);
          for (const s of sections) Object.assign(s.dataset, { state: 'ready', query: q });
        },
        (e: { code?: string }) => {
          if (mine !== run) return;
          error.textContent = errorText(e.code ?? 'INTERNAL');
          error.hidden = false;
        },
      );
    };
    load(evaluationApi.scores(token, f, by), [scoresSection, groupsSection, indicatorsSection], renderScores, queryString({ ...f, by }));
    load(evaluationApi.quadrant(token, f), [quadrantSection], (q) => quadrant.render(q));
    load(evaluationApi.otherNeeds(token, f), [needsSection], renderNeeds);
  };
  bySelect.addEventListener('change', () => {
    sessionStorage.setItem(BY_KEY, bySelect.value);
    refresh(filter);
  });

  const bar = renderFilterBar(flows, filter, refresh);
  page.replaceChildren(
    page.firstElementChild!,
    bar.element,
    h('label', { class: 'field evaluation-by' }, h('span', {}, et('groupBy')), bySelect),
    error,
    scoresSection,
    groupsSection,
    indicatorsSection,
    quadrantSection,
    needsSection,
  );
  refresh(bar.value());
  return [scoresChart, quadrant.chart];
}
