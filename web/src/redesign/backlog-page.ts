import type { Quadrant } from '../../../protocol/evaluation.js';
import type { Backlog, BacklogEntry } from '../../../protocol/redesign.js';
import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { names } from '../app/names.js';
import { loadFlows } from '../dashboard/dashboard-page.js';
import { dashboardNav } from '../dashboard/dashboard-nav.js';
import { et } from '../dashboard/evaluation-i18n.js';
import { dataTable, ms, num, tableHolder } from '../dashboard/widgets.js';
import { redesignApi } from './redesign-api.js';
import { FLAG_REASONS, rt } from './redesign-words.js';

const FLOW_KEY = 'laihua.backlog.flow';

/**
 * The redesign backlog (#/metrics/backlog, supervisors and QA; docs/REDESIGN.md): one business at a
 * time, its steps ranked by the evidence against them — agents' and QA's flags, the heat map's
 * failures and waits — with the newer version's figures once one is published.
 */
export function mountBacklog(container: HTMLElement, session: Session): () => void {
  const page = h(
    'section',
    { class: 'metrics-page backlog-page', 'data-testid': 'backlog-page' },
    h('div', { class: 'floor-head' }, h('h2', {}, rt('backlog')), h('span', { class: 'spacer' }), dashboardNav(session, 'backlog')),
    h('p', { class: 'muted' }, rt('backlogHint')),
  );
  container.replaceChildren(page);
  let left = false;
  loadFlows(session.token).then(
    ({ flows }) => {
      if (left) return;
      const businesses = flows.filter((f) => f.kind === 'business');
      const pick = h(
        'select',
        { id: 'backlog-flow', 'data-testid': 'backlog-flow' },
        businesses.map((f) => h('option', { value: f.id }, names.flow(f.id))),
      );
      const saved = sessionStorage.getItem(FLOW_KEY);
      if (saved && businesses.some((f) => f.id === saved)) pick.value = saved;
      const holder = tableHolder();
      const error = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'backlog-error', hidden: true });
      const load = () => {
        sessionStorage.setItem(FLOW_KEY, pick.value);
        holder.dataset.state = 'loading';
        redesignApi.backlog(session.token, pick.value).then(
          (backlog) => {
            if (left) return;
            error.hidden = true;
            holder.replaceChildren(priorityLine(backlog), backlogTable(backlog));
            Object.assign(holder.dataset, { state: 'ready', flowId: backlog.flowId });
          },
          (e: { code?: string }) => {
            error.textContent = errorText(e.code ?? 'INTERNAL');
            error.hidden = false;
          },
        );
      };
      pick.addEventListener('change', load);
      page.append(
        h('div', { class: 'filter-bar' }, h('label', { for: pick.id }, rt('business')), pick),
        error,
        h('section', { class: 'card metrics-section', 'data-testid': 'backlog-section' }, holder),
      );
      load();
    },
    (e: { code?: string }) => page.append(h('p', { class: 'error-text', role: 'alert' }, errorText(e.code ?? 'INTERNAL'))),
  );
  return () => {
    left = true;
  };
}

const QUADRANT_WORDS = { 'fix-first': 'fixFirst', 'keep-up': 'keepUp', watch: 'watch', surplus: 'surplus' } as const satisfies Record<Quadrant, string>;

/** The quadrant's verdict on the business: how urgent its backlog is among all businesses (docs/REDESIGN.md). */
function priorityLine(backlog: Backlog): HTMLElement {
  const p = backlog.priority;
  const line = h('p', { class: 'backlog-priority', 'data-testid': 'backlog-priority', 'data-quadrant': p?.point.quadrant ?? '' });
  line.textContent = p
    ? rt('priority', {
        rank: p.rank,
        of: p.of,
        quadrant: p.point.quadrant ? et(QUADRANT_WORDS[p.point.quadrant]) : rt('unrated'),
        importance: num(p.point.importance),
        satisfaction: p.point.satisfaction === null ? '—' : num(p.point.satisfaction),
      })
    : rt('priorityNone');
  return line;
}

function backlogTable(backlog: Backlog): HTMLElement {
  if (!backlog.entries.length) return h('p', { class: 'muted', 'data-testid': 'backlog-empty' }, rt('empty'));
  const reasons = (e: BacklogEntry) =>
    e.reasons.map((r) => `${(FLAG_REASONS as readonly string[]).includes(r.reason) ? rt(r.reason) : rt('other')} ×${r.count}`).join(', ') || '—';
  const newer = (e: BacklogEntry) => (e.newer ? `v${e.newer.version}: ${num(e.newer.rate)} (${e.newer.visits})` : '—');
  return dataTable(
    'backlog-table',
    [rt('rank'), rt('step'), rt('status'), rt('version'), rt('flags'), rt('failures'), rt('waits'), rt('score'), rt('rate'), rt('newer'), rt('reasons')],
    backlog.entries.map((e) => ({
      attrs: { 'data-step-id': e.stepId, 'data-status': e.status, 'data-rank': String(e.rank) },
      cells: [
        { value: e.rank, text: String(e.rank), key: 'rank' },
        names.step(backlog.flowId, e.stepId),
        rt(e.status),
        `v${e.version}`,
        { value: e.evidence.flags, text: num(e.evidence.flags), key: 'flags' },
        { value: e.evidence.failures, text: num(e.evidence.failures), key: 'failures' },
        { value: e.evidence.waitMs, text: ms(e.evidence.waitMs), key: 'waitMs' },
        { value: e.evidence.score, text: num(e.evidence.score), key: 'score' },
        { value: e.evidence.rate, text: num(e.evidence.rate), key: 'rate' },
        newer(e),
        reasons(e),
      ],
    })),
  );
}
