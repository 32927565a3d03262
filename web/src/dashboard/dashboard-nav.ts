import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { dt } from './dashboard-i18n.js';
import { rt } from '../redesign/redesign-words.js';
import { et } from './evaluation-i18n.js';

export const METRICS_HASH = '#/metrics';
export const HEAT_MAP_HASH = '#/metrics/heat-map';
export const EVALUATION_HASH = '#/metrics/evaluation';
export const BACKLOG_HASH = '#/metrics/backlog';
export type DashboardPage = 'metrics' | 'heat-map' | 'evaluation' | 'backlog';

/** Which dashboard the address asks for (supervisors and QA; agents never get here). */
export const wantsDashboard = (): DashboardPage | null =>
  location.hash.startsWith(HEAT_MAP_HASH)
    ? 'heat-map'
    : location.hash.startsWith(EVALUATION_HASH)
      ? 'evaluation'
      : location.hash.startsWith(BACKLOG_HASH)
        ? 'backlog'
        : location.hash.startsWith(METRICS_HASH)
          ? 'metrics'
          : null;

/** Links between the operations pages (the live floor is the supervisors' only). */
export function dashboardNav(session: Session, current: DashboardPage | 'floor' | 'home'): HTMLElement {
  const link = (id: typeof current, href: string, text: string) =>
    id === current
      ? h('strong', { class: 'nav-current', 'aria-current': 'page' }, text)
      : h('a', { href, class: 'nav-link', 'data-testid': `nav-${id}` }, text);
  return h(
    'nav',
    { class: 'metrics-nav', 'data-testid': 'metrics-nav' },
    link('metrics', METRICS_HASH, dt('dashboards')),
    link('heat-map', HEAT_MAP_HASH, dt('heatMap')),
    link('evaluation', EVALUATION_HASH, et('evaluation')),
    link('backlog', BACKLOG_HASH, rt('backlog')),
    session.role === 'supervisor' ? link('floor', '#floor', dt('liveFloor')) : null,
    current === 'metrics' || current === 'heat-map' || current === 'evaluation' || current === 'backlog'
      ? h('a', { href: '#/', class: 'nav-link', 'data-testid': 'nav-home' }, dt('backHome'))
      : null,
  );
}
