import type { FlowSummary } from '../../../protocol/flows.js';
import type { CallPage } from '../../../protocol/qa.js';
import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, label, pick, t } from '../app/i18n.js';
import { names } from '../app/names.js';
import { exportCalls } from './call-export.js';
import { duration, time } from '../app/format.js';
import { type CallFilter, qaApi } from './qa-api.js';

const STATE_KEY = 'laihua.qa.finder';
const PAGE_SIZE = 20;
const OUTCOMES = [
  'completed',
  'need-identified',
  'closed',
  'resolved',
  'transferred',
  'work-order-raised',
  'not-eligible',
  'converted',
  'locked',
  'ticket-raised',
  'abandoned',
];
const STATUSES = ['active', 'completed', 'abandoned'];

interface FinderState {
  filter: CallFilter;
  page: number;
  pageSize: number;
}

const loadState = (): FinderState => ({
  filter: {},
  page: 1,
  pageSize: PAGE_SIZE,
  ...JSON.parse(sessionStorage.getItem(STATE_KEY) ?? '{}'),
});
const saveState = (s: FinderState) => sessionStorage.setItem(STATE_KEY, JSON.stringify(s));

/** The form's fields: the filter's name, its label and how it is typed. Durations are typed in seconds. */
type Field = { name: keyof CallFilter; label: string; el: HTMLInputElement | HTMLSelectElement; kind?: 'seconds' | 'from' | 'to' };

function select(name: string, values: [string, string][]): HTMLSelectElement {
  return h(
    'select',
    { name, 'data-testid': `qa-filter-${name}` },
    h('option', { value: '' }, t('qaAny')),
    values.map(([v, text]) => h('option', { value: v }, text)),
  );
}
const input = (name: string, type = 'text', extra: Record<string, string | number> = {}) =>
  h('input', { name, type, 'data-testid': `qa-filter-${name}`, autocomplete: 'off', ...extra });

/** QA's call finder: filters → a page of calls → open one; export what the filter finds as CSV or JSON. */
export function renderCallFinder(session: Session, flows: FlowSummary[], checkIds: string[], open: (callId: string) => void): HTMLElement {
  const state = loadState();
  const fields: Field[] = [
    { name: 'agent', label: t('qaAgent'), el: input('agent', 'text', { size: 10 }) },
    {
      name: 'flowId',
      label: t('qaBusiness'),
      el: select(
        'flowId',
        flows.map((f) => [f.id, pick(f.title)]),
      ),
    },
    { name: 'version', label: t('version'), el: input('version', 'number', { min: 1, style: 'width:5em' }) },
    {
      name: 'outcome',
      label: t('outcome'),
      el: select(
        'outcome',
        OUTCOMES.map((o) => [o, label(o)]),
      ),
    },
    {
      name: 'status',
      label: t('callStatus'),
      el: select(
        'status',
        STATUSES.map((s) => [s, names.callStatus(s)]),
      ),
    },
    { name: 'from', label: t('qaFrom'), el: input('from', 'date'), kind: 'from' },
    { name: 'to', label: t('qaTo'), el: input('to', 'date'), kind: 'to' },
    { name: 'msisdn', label: t('qaNumber'), el: input('msisdn', 'text', { inputmode: 'numeric', size: 12 }) },
    {
      name: 'failedCheck',
      label: t('qaFailedCheck'),
      el: select(
        'failedCheck',
        checkIds.map((c) => [c, names.check(c)]),
      ),
    },
    {
      name: 'minDurationMs',
      label: t('qaMinDuration'),
      el: input('minDurationMs', 'number', { min: 0, style: 'width:6em' }),
      kind: 'seconds',
    },
    {
      name: 'maxDurationMs',
      label: t('qaMaxDuration'),
      el: input('maxDurationMs', 'number', { min: 0, style: 'width:6em' }),
      kind: 'seconds',
    },
  ];
  // The form shows what the user typed; the filter holds what the API takes.
  for (const f of fields) {
    const v = state.filter[f.name];
    if (v === undefined) continue;
    f.el.value = f.kind === 'seconds' ? String(Number(v) / 1000) : f.kind ? localDay(v, f.kind === 'to' ? -1 : 0) : v;
  }
  const pageSize = input('pageSize', 'number', { min: 1, max: 500, style: 'width:5em', value: state.pageSize });
  const readPageSize = () => Math.min(500, Math.max(1, Math.round(Number(pageSize.value) || PAGE_SIZE)));
  const readFilter = (): CallFilter => {
    const filter: CallFilter = {};
    for (const f of fields) {
      const v = f.el.value.trim();
      if (!v) continue;
      filter[f.name] = f.kind === 'seconds' ? String(Math.round(Number(v) * 1000)) : f.kind ? midnight(v, f.kind === 'to' ? 1 : 0) : v;
    }
    return filter;
  };

  const results = h('div', { class: 'qa-results', 'data-testid': 'qa-results' });
  const error = h('p', { class: 'error-text', 'data-testid': 'qa-finder-error', role: 'alert', hidden: true });
  const showError = (err: unknown) => {
    const e = err as { code?: string; fields?: { field: string; problems: string[] }[] };
    error.textContent = [
      errorText(e.code ?? 'INTERNAL'),
      ...(e.fields ?? []).map((f) => `${fields.find((x) => x.name === f.field)?.label ?? ''}: ${f.problems.map(names.problem).join(', ')}`),
    ].join(' ');
    error.hidden = false;
  };

  async function search(page: number): Promise<void> {
    const filter = readFilter();
    saveState({ filter, page, pageSize: readPageSize() });
    error.hidden = true;
    try {
      renderPage(await qaApi.findCalls(session.token, filter, page, readPageSize()), filter);
    } catch (err) {
      showError(err);
    }
  }

  function renderPage(res: CallPage, filter: CallFilter): void {
    const pages = Math.max(1, Math.ceil(res.total / res.pageSize));
    const exportButton = (format: 'csv' | 'json') =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': `qa-export-${format}`,
          onclick: () => void exportCalls(session.token, filter, format).catch(showError),
        },
        format === 'csv' ? t('qaExportCsv') : t('qaExportJson'),
      );
    results.replaceChildren(
      h(
        'div',
        { class: 'qa-pager' },
        h(
          'strong',
          { 'data-testid': 'qa-total', 'data-total': res.total, 'data-capped': String(res.totalCapped) },
          t(res.totalCapped ? 'qaTotalCapped' : 'qaTotal', { n: res.total }),
        ),
        h('span', { 'data-testid': 'qa-page', 'data-page': res.page }, t('qaPage', { page: res.page, pages })),
        h('button', { type: 'button', 'data-testid': 'qa-prev-page', disabled: res.page <= 1, onclick: () => void search(res.page - 1) }, t('qaPrev')),
        h('button', { type: 'button', 'data-testid': 'qa-next-page', disabled: res.page >= pages, onclick: () => void search(res.page + 1) }, t('qaNext')),
        h('span', { class: 'spacer' }),
        exportButton('csv'),
        exportButton('json'),
      ),
      res.calls.length
        ? h(
            'table',
            { class: 'qa-calls' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('qaStarted'), t('qaAgent'), t('qaNumber'), t('qaBusiness'), t('callStatus'), t('outcome'), t('qaDuration'), t('qaFailed'), t('qaOpen')].map(
                  (c) => h('th', {}, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              res.calls.map((c) =>
                h(
                  'tr',
                  { 'data-testid': 'qa-call-row', 'data-call-id': c.id, class: c.failedChecks.length ? 'has-failed' : '' },
                  h('td', {}, time(c.startedAt)),
                  h('td', {}, c.agent),
                  h('td', {}, c.callerNumber),
                  h('td', {}, (c.businesses.length ? c.businesses.map(names.business) : [names.flowVersion(c.flowId, c.flowVersion)]).join(' → ')),
                  h('td', {}, names.callStatus(c.status)),
                  h('td', {}, c.outcome ? label(c.outcome) : '—'),
                  h('td', {}, duration(c.durationMs)),
                  h(
                    'td',
                    { class: 'failed-checks' },
                    c.failedChecks.map((id) => h('span', { class: 'badge bad', 'data-check-id': id }, names.check(id))),
                  ),
                  h(
                    'td',
                    {},
                    h(
                      'a',
                      {
                        href: `#/qa/calls/${c.id}`,
                        'data-testid': 'qa-open-call',
                        onclick: (e: Event) => {
                          e.preventDefault();
                          open(c.id);
                        },
                      },
                      t('qaOpen'),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted', 'data-testid': 'qa-no-calls' }, t('qaNoCalls')),
    );
  }

  const form = h(
    'form',
    {
      class: 'qa-filters',
      'data-testid': 'qa-filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void search(1);
      },
    },
    fields.map((f) => h('label', {}, h('span', {}, f.label), f.el)),
    h('label', {}, h('span', {}, t('qaPageSize')), pageSize),
    h(
      'div',
      { class: 'qa-filter-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'qa-search' }, t('qaSearch')),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'qa-reset',
          onclick: () => {
            fields.forEach((f) => (f.el.value = ''));
            void search(1);
          },
        },
        t('qaReset'),
      ),
    ),
  );

  void search(state.page);
  return h('section', { class: 'qa-finder' }, h('h3', {}, t('qaFindCalls')), form, error, results);
}

/** Local midnight of a day (+ days) as ISO: `to` is inclusive in the form and exclusive in the API. */
function midnight(day: string, plusDays: number): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}
function localDay(iso: string, plusDays: number): string {
  const d = new Date(iso);
  d.setDate(d.getDate() + plusDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
