import type { FlowVersions } from '../../../protocol/authoring.js';
import { queryString, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { authoringApi } from '../editor/authoring-api.js';
import { CompareView } from './compare-view.js';
import { dt } from './dashboard-i18n.js';
import { dashboardNav } from './dashboard-nav.js';
import { loadFilter, renderFilterBar } from './filter-bar.js';
import { metricsApi, metricsPaths, type MetricsFilter } from './metrics-api.js';
import { ComplianceView, OffersView } from './offers-view.js';
import { BusinessesView, SummaryView } from './summary-view.js';
import { OnTimeView } from './on-time-view.js';
import { SatisfactionView } from './satisfaction-view.js';
import { redesignApi } from '../redesign/redesign-api.js';
import { rt } from '../redesign/redesign-words.js';
import { csvButton } from './widgets.js';

/** The flows with their versions (authoring API: supervisors and QA read it); titles for the tables. */
export async function loadFlows(token: string): Promise<{ flows: FlowVersions[]; title: (flowId: string) => string }> {
  const flows = await authoringApi.flows(token);
  const titles = new Map(flows.map((f) => [f.id, pick(f.title)]));
  return { flows, title: (id) => titles.get(id) ?? names.flow(id) };
}

/**
 * The supervisors'/QA dashboard (#/metrics): the filter bar drives summary cards, the per-business
 * table, offers, compliance and the version comparison. One request per table per settled filter
 * change; an answer to an older filter is dropped. Returns the function that leaves the page.
 */
export function mountDashboard(container: HTMLElement, session: Session): () => void {
  const page = h(
    'section',
    { class: 'metrics-page', 'data-testid': 'metrics-page' },
    h('div', { class: 'floor-head' }, h('h2', {}, dt('dashboards')), h('span', { class: 'spacer' }), dashboardNav(session, 'metrics')),
    h('p', { class: 'muted' }, dt('loading')),
  );
  container.replaceChildren(page);
  let left = false;
  let cleanup = () => undefined as void;
  loadFlows(session.token).then(
    ({ flows, title }) => {
      if (!left) cleanup = build(page, session, flows, title);
    },
    (e: { code?: string }) => page.append(h('p', { class: 'error-text', role: 'alert' }, errorText(e.code ?? 'INTERNAL'))),
  );
  return () => {
    left = true;
    cleanup();
  };
}

function build(page: HTMLElement, session: Session, flows: FlowVersions[], title: (flowId: string) => string): () => void {
  const token = session.token;
  const error = h('p', { class: 'error-text', 'data-testid': 'metrics-error', role: 'alert', hidden: true });
  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = false;
  };
  const summary = new SummaryView();
  const businesses = new BusinessesView(title);
  const offers = new OffersView(title);
  const compliance = new ComplianceView();
  const compare = new CompareView(token, flows);
  const onTime = new OnTimeView(title);
  const satisfaction = new SatisfactionView(title);
  let filter: MetricsFilter = loadFilter();

  const section = (testid: string, heading: string, csv: HTMLButtonElement | null, ...body: HTMLElement[]) =>
    h(
      'section',
      { class: 'card metrics-section', 'data-testid': testid, 'data-state': 'loading' },
      h('div', { class: 'metrics-section-head' }, h('h3', {}, heading), h('span', { class: 'spacer' }), csv),
      ...body,
    );
  const summarySection = section('metrics-summary', dt('handleSplit'), null, h('div', { class: 'metrics-two' }, summary.handleChart.element, summary.lanes));
  const businessSection = section(
    'metrics-business-section',
    dt('businesses'),
    csvButton(token, 'businesses-csv', () => metricsPaths.summary(filter), showError),
    businesses.table,
    h('div', { class: 'metrics-two' }, businesses.rateChart.element, businesses.stepsChart.element),
  );
  const offersSection = section(
    'metrics-offers-section',
    dt('offers'),
    csvButton(token, 'offers-csv', () => metricsPaths.offers(filter), showError),
    h('div', { class: 'metrics-two' }, offers.table, offers.chart.element),
  );
  const complianceSection = section(
    'metrics-compliance-section',
    dt('compliance'),
    csvButton(token, 'compliance-csv', () => metricsPaths.compliance(filter), showError),
    h('div', { class: 'metrics-two' }, compliance.table, compliance.chart.element),
  );
  const onTimeSection = section('metrics-on-time-section', dt('onTime'), null, onTime.element);
  const satisfactionSection = section('metrics-satisfaction-section', rt('satisfaction'), null, satisfaction.element);

  let run = 0;
  /** One fetch per table; each table shows the query it answers (data-query) once drawn. */
  const refresh = (f: MetricsFilter) => {
    filter = f;
    const mine = ++run;
    error.hidden = true;
    const query = queryString(f);
    const load = <T>(fetch: Promise<T>, sections: HTMLElement[], render: (x: T) => void) => {
      for (const s of sections) s.dataset.state = 'loading';
      fetch.then(
        (x) => {
          if (mine !== run) return;
          render(x);
          for (const s of sections) Object.assign(s.dataset, { state: 'ready', query });
        },
        (e: { code?: string }) => mine === run && showError(errorText(e.code ?? 'INTERNAL')),
      );
    };
    load(metricsApi.summary(token, f), [summary.cards, summarySection, businessSection], (s) => {
      summary.render(s);
      businesses.render(s);
    });
    load(metricsApi.offers(token, f), [offersSection], (rows) => offers.render(rows));
    load(metricsApi.compliance(token, f), [complianceSection], (rows) => compliance.render(rows));
    load(metricsApi.onTime(token, f), [onTimeSection], (report) => onTime.render(report));
    load(redesignApi.satisfaction(token, f), [satisfactionSection], (report) => satisfaction.render(report));
    compare.update(f);
  };

  const bar = renderFilterBar(flows, filter, refresh);
  page.replaceChildren(
    page.firstElementChild!,
    bar.element,
    error,
    summary.cards,
    summarySection,
    businessSection,
    h('div', { class: 'metrics-grid' }, offersSection, complianceSection),
    onTimeSection,
    satisfactionSection,
    compare.element,
  );
  refresh(bar.value());
  return () => {
    run++;
    for (const chart of [summary.handleChart, businesses.rateChart, businesses.stepsChart, offers.chart, compliance.chart]) chart.destroy();
    compare.destroy();
  };
}
