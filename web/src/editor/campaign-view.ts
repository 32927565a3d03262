import type { Campaign, CampaignBrand, CampaignRequest } from '../../../protocol/campaigns.js';
import { request, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { names } from '../app/names.js';
import { ChartSlot, COLORS, dataTable, pct, tableHolder } from '../dashboard/widgets.js';
import { causeName, ct } from './campaign-i18n.js';

const BRANDS: CampaignBrand[] = ['gotone', 'easyown', 'mzone'];
const enc = encodeURIComponent;

/** The campaigns HTTP API (src/campaigns/campaigns.controller.ts). */
const campaignsApi = {
  list: (token: string, flowId: string, version: number) => request<Campaign[]>(`/api/campaigns?flowId=${enc(flowId)}&version=${version}`, { token }),
  run: (token: string, body: CampaignRequest) => request<Campaign>('/api/campaigns', { token, method: 'POST', body: JSON.stringify(body) }),
};

/**
 * The editor's test dialling tab (docs/CAMPAIGNS.md): supervisors run a campaign on the open version
 * (calls, seed, brand quota); everyone who reads the editor sees the version's campaigns and the
 * chosen one's table — calls and successes per brand (with a chart), failures by step and cause, each call.
 */
export function renderCampaigns(session: Session, flowId: string, version: number): HTMLElement {
  const root = h('div', { class: 'campaigns', 'data-testid': 'campaigns' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'campaign-status' });
  const history = h('div', { 'data-testid': 'campaign-history' });
  const table = h('div', { 'data-testid': 'campaign-table' });
  const chart = new ChartSlot('campaign-chart', ct('chart'), 200);
  let campaigns: Campaign[] = [];

  const input = (testid: string, label: string, value: number, min: number, max: number) => {
    const el = h('input', { type: 'number', min: String(min), max: String(max), value: String(value), 'data-testid': testid, 'aria-label': label });
    return { el, field: h('label', { class: 'field' }, label, el) };
  };
  const calls = input('campaign-calls', ct('calls'), 10, 1, 100);
  const seed = input('campaign-seed', ct('seed'), 1, 0, 2147483647);
  const quota = { gotone: 2, easyown: 4, mzone: 4 };
  const quotaInputs = BRANDS.map((b) => ({ b, ...input(`campaign-quota-${b}`, names.status(b), quota[b], 0, 100) }));

  const show = (c: Campaign | undefined) => {
    if (!c) {
      table.replaceChildren(h('p', { class: 'muted' }, ct('none')));
      return;
    }
    const r = c.result;
    table.replaceChildren(
      h(
        'dl',
        { class: 'campaign-summary', 'data-testid': 'campaign-summary' },
        h('dt', {}, ct('runs')),
        h('dd', { 'data-key': 'runs' }, String(r.runs)),
        h('dt', {}, ct('successes')),
        h('dd', { 'data-key': 'successes' }, String(r.successes)),
        h('dt', {}, ct('successRate')),
        h('dd', { 'data-key': 'successRate' }, pct(r.runs ? r.successes / r.runs : null)),
        h('dt', {}, ct('match')),
        h('dd', { 'data-key': 'trajectoryMatch' }, pct(r.trajectoryMatch)),
      ),
      h('p', { class: 'muted' }, `${ct('mainPath')}: ${r.mainPath.map((s) => names.step(c.flowId, s)).join(' › ')}`),
      h('h4', {}, ct('byBrand')),
      chart.element,
      holder(
        dataTable(
          'campaign-brands',
          [ct('brand'), ct('runs'), ct('successes')],
          r.byBrand.map((b) => ({
            attrs: { 'data-brand': b.brand },
            cells: [
              names.status(b.brand),
              { value: b.runs, text: String(b.runs), key: 'runs' },
              { value: b.successes, text: String(b.successes), key: 'successes' },
            ],
          })),
        ),
      ),
      h('h4', {}, ct('failures')),
      holder(
        dataTable(
          'campaign-failures',
          [ct('failStep'), ct('cause'), ct('count')],
          r.failures.map((f) => ({
            attrs: { 'data-step': f.stepId, 'data-cause': f.cause },
            cells: [names.step(c.flowId, f.stepId), causeName(f.cause), { value: f.count, text: String(f.count), key: 'count' }],
          })),
        ),
      ),
      h('h4', {}, ct('callsTable')),
      holder(
        dataTable(
          'campaign-calls-table',
          ['#', ct('customer'), ct('brand'), ct('result'), ct('ending'), ct('cause'), ct('match')],
          r.calls.map((x) => ({
            attrs: { 'data-n': String(x.n), 'data-success': String(x.success), 'data-detail': x.failure?.detail ?? '' },
            cells: [
              String(x.n),
              x.msisdn,
              names.status(x.brand),
              x.success ? ct('success') : ct('failed'),
              `${names.step(c.flowId, x.ending)} (${names.status(x.outcome)})`,
              x.failure ? `${names.step(c.flowId, x.failure.stepId)}: ${causeName(x.failure.cause)}` : '—',
              { value: x.trajectoryMatch, text: pct(x.trajectoryMatch), key: 'trajectoryMatch' },
            ],
          })),
        ),
      ),
    );
    chart.draw('bar', {
      labels: r.byBrand.map((b) => names.status(b.brand)),
      datasets: [
        { label: ct('runs'), data: r.byBrand.map((b) => b.runs), backgroundColor: COLORS.a },
        { label: ct('successes'), data: r.byBrand.map((b) => b.successes), backgroundColor: COLORS.good },
      ],
    });
  };

  const drawHistory = (selected: number | undefined) => {
    if (!campaigns.length) {
      history.replaceChildren();
      return show(undefined);
    }
    const select = h(
      'select',
      { 'data-testid': 'campaign-select', 'aria-label': ct('history'), onchange: () => show(campaigns.find((c) => c.id === Number(select.value))) },
      campaigns.map((c) =>
        h(
          'option',
          { value: String(c.id), selected: c.id === selected },
          ct('campaignOf', { at: new Date(c.startedAt).toLocaleString(), by: c.requestedBy, successes: c.result.successes, runs: c.result.runs }),
        ),
      ),
    );
    history.replaceChildren(h('label', { class: 'field' }, ct('history'), select));
    show(campaigns.find((c) => c.id === selected) ?? campaigns[0]);
  };

  const load = async (selected?: number) => {
    try {
      campaigns = await campaignsApi.list(session.token, flowId, version);
      drawHistory(selected);
    } catch (e) {
      status.textContent = errorText((e as { code?: string }).code ?? 'INTERNAL');
    }
  };

  const run = async (button: HTMLButtonElement) => {
    button.disabled = true;
    status.textContent = ct('running');
    try {
      const body: CampaignRequest = {
        flowId,
        version,
        calls: Number(calls.el.value),
        seed: Number(seed.el.value),
        quota: Object.fromEntries(quotaInputs.map((q) => [q.b, Number(q.el.value)])) as Record<CampaignBrand, number>,
      };
      const done = await campaignsApi.run(session.token, body);
      status.textContent = '';
      await load(done.id);
    } catch (e) {
      status.textContent = errorText((e as { code?: string }).code ?? 'INTERNAL');
    } finally {
      button.disabled = false;
    }
  };

  const form =
    session.role === 'supervisor'
      ? h(
          'form',
          {
            class: 'campaign-form',
            'data-testid': 'campaign-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void run((e.target as HTMLFormElement).querySelector('button')!);
            },
          },
          calls.field,
          seed.field,
          h(
            'fieldset',
            {},
            h('legend', {}, ct('quota')),
            quotaInputs.map((q) => q.field),
          ),
          h('button', { type: 'submit', class: 'primary', 'data-testid': 'campaign-run' }, ct('run')),
        )
      : null;
  root.append(h('p', { class: 'muted' }, ct('intro')), ...(form ? [form] : []), status, history, table);
  void load();
  return root;
}

function holder(table: HTMLElement): HTMLElement {
  const el = tableHolder();
  el.append(table);
  return el;
}
