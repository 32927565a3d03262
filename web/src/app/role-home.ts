import type { FlowSummary } from '../../../protocol/flows.js';
import type { Session } from './api.js';
import { dt } from '../dashboard/dashboard-i18n.js';
import { EVALUATION_HASH, HEAT_MAP_HASH, METRICS_HASH } from '../dashboard/dashboard-nav.js';
import { et } from '../dashboard/evaluation-i18n.js';
import { h } from './dom.js';
import { label, pick, t } from './i18n.js';
import { renderQaPage } from '../qa/qa-pages.js';

/** Supervisors land on the flows they manage, and may take calls themselves. */
export function renderSupervisorHome(flows: FlowSummary[], onTakeCalls: () => void, onOpenEditor: () => void, onOpenFloor?: () => void): HTMLElement {
  return h(
    'section',
    { class: 'card role-home', 'data-testid': 'role-home', 'data-role': 'supervisor' },
    h('h2', {}, t('roleHomeSupervisor')),
    editorButton(onOpenEditor),
    onOpenFloor ? h('button', { type: 'button', class: 'open-floor', 'data-testid': 'open-floor', onclick: onOpenFloor }, t('openFloor')) : null,
    dashboardLinks(),
    h('h3', {}, t('flows')),
    h(
      'table',
      { class: 'flows' },
      h('thead', {}, h('tr', {}, h('th', {}, t('flows')), h('th', {}, t('version')), h('th', {}, t('progress')))),
      h(
        'tbody',
        {},
        flows.map((f) =>
          h(
            'tr',
            { 'data-testid': 'flow-row', 'data-flow-id': f.id },
            h('td', {}, pick(f.title)),
            h('td', {}, String(f.version)),
            h('td', {}, f.mainPath.map((s) => `${pick(s.title)} (${label(s.lane)})`).join(' → ')),
          ),
        ),
      ),
    ),
    h('button', { type: 'button', class: 'primary', 'data-testid': 'take-calls', onclick: onTakeCalls }, t('takeCalls')),
  );
}

/** The way into the flow editor (supervisors edit; QA reads). */
const editorButton = (onOpenEditor: () => void) =>
  h('button', { type: 'button', class: 'open-editor', 'data-testid': 'open-editor', onclick: onOpenEditor }, t('flowEditor'));

/** The ways into the dashboards (web/src/dashboard): metrics, the blueprint heat map, the evaluation model. */
const dashboardLinks = () =>
  h(
    'span',
    { class: 'dashboard-links' },
    h('a', { href: METRICS_HASH, class: 'button-link', 'data-testid': 'open-metrics' }, dt('dashboards')),
    h('a', { href: HEAT_MAP_HASH, class: 'button-link', 'data-testid': 'open-heat-map' }, dt('heatMap')),
    h('a', { href: EVALUATION_HASH, class: 'button-link', 'data-testid': 'open-evaluation' }, et('evaluation')),
  );

/** QA lands on the call finder (and look-up by id); a call opens in the replay viewer (web/src/qa/). */
export function renderQaHome(session: Session, flows: FlowSummary[], onOpenEditor: () => void): HTMLElement {
  return h('div', {}, editorButton(onOpenEditor), dashboardLinks(), renderQaPage(session, flows));
}
