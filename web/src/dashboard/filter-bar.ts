import type { FlowVersions } from '../../../protocol/authoring.js';
import { h } from '../app/dom.js';
import { label, pick } from '../app/i18n.js';
import { dt } from './dashboard-i18n.js';
import type { MetricsFilter } from './metrics-api.js';

const STATE_KEY = 'laihua.metrics.filter';
/** Typing settles before anything is fetched: one round of requests per pause, not per key. */
export const FILTER_DEBOUNCE_MS = 350;
const BRANDS = ['gotone', 'easyown', 'mzone'];
const TIERS = ['standard', 'gold', 'diamond'];
const MAX_FCR_DAYS = 30;

/** The filter shared by the dashboard and the heat map (kept for the tab's session). */
export const loadFilter = (): MetricsFilter => JSON.parse(sessionStorage.getItem(STATE_KEY) ?? '{}') as MetricsFilter;
export const saveFilter = (f: MetricsFilter): void => sessionStorage.setItem(STATE_KEY, JSON.stringify(f));

export interface FilterBar {
  element: HTMLElement;
  value(): MetricsFilter;
}

type Name = keyof MetricsFilter;

/**
 * The filter bar: date range, flow, version (of the chosen flow), region, agent, brand, tier, FCR
 * window. Changes are debounced into one onChange; values the server would refuse (an FCR window
 * outside 1…30) are left out rather than sent.
 */
export function renderFilterBar(
  flows: FlowVersions[],
  initial: MetricsFilter,
  onChange: (f: MetricsFilter) => void,
  opts: { flowRequired?: boolean } = {},
): FilterBar {
  const input = (name: Name, type: string, extra: Record<string, string | number> = {}) =>
    h('input', { name, type, 'data-testid': `metrics-filter-${name}`, autocomplete: 'off', ...extra });
  const select = (name: Name, values: [string, string][], any = true) =>
    h(
      'select',
      { name, 'data-testid': `metrics-filter-${name}` },
      any ? h('option', { value: '' }, dt('any')) : null,
      values.map(([v, text]) => h('option', { value: v }, text)),
    );

  const flow = select(
    'flowId',
    flows.map((f) => [f.id, pick(f.title)]),
    !opts.flowRequired,
  );
  const version = select('version', []);
  const fields: Record<Name, HTMLInputElement | HTMLSelectElement> = {
    from: input('from', 'date'),
    to: input('to', 'date'),
    flowId: flow,
    version,
    region: input('region', 'text', { size: 8 }),
    agent: input('agent', 'text', { size: 9 }),
    brand: select(
      'brand',
      BRANDS.map((b) => [b, label(b)]),
    ),
    tier: select(
      'tier',
      TIERS.map((t) => [t, label(t)]),
    ),
    fcrDays: input('fcrDays', 'number', { min: 1, max: MAX_FCR_DAYS, step: 1, placeholder: '7', style: 'width:5em' }),
  };
  const versionsOf = (flowId: string) =>
    flows
      .find((f) => f.id === flowId)
      ?.versions.filter((v) => v.everPublished)
      .map((v) => v.version) ?? [];
  const fillVersions = () => {
    const vs = versionsOf(flow.value);
    version.replaceChildren(h('option', { value: '' }, dt('any')), ...vs.map((v) => h('option', { value: String(v) }, `v${v}`)));
    version.disabled = vs.length === 0;
  };

  for (const [name, el] of Object.entries(fields) as [Name, HTMLInputElement | HTMLSelectElement][]) {
    if (name !== 'version') el.value = initial[name] ?? '';
  }
  if (opts.flowRequired && !flow.value) flow.value = flows.find((f) => f.kind === 'business')?.id ?? flows[0]?.id ?? '';
  fillVersions();
  version.value = initial.version && versionsOf(flow.value).includes(Number(initial.version)) ? initial.version : '';

  const value = (): MetricsFilter => {
    const f: MetricsFilter = {};
    for (const [name, el] of Object.entries(fields) as [Name, HTMLInputElement | HTMLSelectElement][]) {
      const v = el.value.trim();
      if (v) f[name] = v;
    }
    const days = Number(f.fcrDays);
    if (f.fcrDays !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_FCR_DAYS)) delete f.fcrDays;
    return f;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const f = value();
      saveFilter(f);
      onChange(f);
    }, FILTER_DEBOUNCE_MS);
  };
  flow.addEventListener('change', () => {
    fillVersions();
    version.value = '';
  });
  for (const el of Object.values(fields)) {
    el.addEventListener('input', changed);
    el.addEventListener('change', changed);
  }

  const field = (name: Name, text: string) => h('label', {}, h('span', {}, text), fields[name]);
  const element = h(
    'form',
    { class: 'metrics-filters qa-filters card', 'data-testid': 'metrics-filters', onsubmit: (e: Event) => e.preventDefault() },
    field('from', dt('from')),
    field('to', dt('to')),
    field('flowId', dt('flow')),
    field('version', dt('version')),
    field('region', dt('region')),
    field('agent', dt('agent')),
    field('brand', dt('brand')),
    field('tier', dt('tier')),
    field('fcrDays', dt('fcrDays')),
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'metrics-filter-clear',
        onclick: () => {
          for (const [name, el] of Object.entries(fields)) if (name !== 'flowId' || !opts.flowRequired) el.value = '';
          fillVersions();
          changed();
        },
      },
      dt('clear'),
    ),
  );
  return { element, value };
}
