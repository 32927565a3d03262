import type { FlowSummary } from '../../../protocol/flows.js';
import { h } from '../app/dom.js';
import { pick, t } from '../app/i18n.js';

/** Matches a flow by its Chinese or English title, id or keywords ("停机", "suspend", "lost phone"). */
export function matchFlows(flows: FlowSummary[], query: string): FlowSummary[] {
  const q = query.trim().toLowerCase();
  const businesses = flows.filter((f) => f.kind === 'business');
  if (!q) return businesses;
  const texts = (f: FlowSummary) => [f.id, f.title['zh-CN'], f.title.en, ...f.keywords, ...f.scenarios.flatMap((s) => [s['zh-CN'], s.en])];
  // Best first: a title that is the query, then a title containing it, then keywords and scenarios.
  const rank = (f: FlowSummary) => {
    const titles = [f.title['zh-CN'], f.title.en].map((x) => x.toLowerCase());
    return titles.includes(q) ? 0 : titles.some((x) => x.includes(q)) ? 1 : 2;
  };
  return businesses
    .filter((f) => texts(f).some((text) => text.toLowerCase().includes(q)))
    .map((f, i) => ({ f, i, r: rank(f) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ f }) => f);
}

export function renderFlowChooser(flows: FlowSummary[], query: string, onQuery: (q: string) => void, onChoose: (flowId: string) => void): HTMLElement {
  const enter = flows.find((f) => f.kind === 'enter');
  const results = matchFlows(flows, query);
  const search = h('input', {
    'data-testid': 'flow-search',
    type: 'search',
    placeholder: t('searchFlows'),
    value: query,
    autocomplete: 'off',
    oninput: (e: Event) => onQuery((e.target as HTMLInputElement).value),
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && results[0]) {
        e.preventDefault();
        e.stopPropagation();
        onChoose(results[0].id);
      }
    },
  });
  return h(
    'section',
    { class: 'card chooser', 'data-testid': 'flow-chooser' },
    enter
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary wide',
            'data-testid': 'start-hotline-call',
            'data-flow-id': enter.id,
            onclick: () => onChoose(enter.id),
          },
          t('startHotline'),
        )
      : null,
    h('h2', {}, t('chooseBusiness')),
    search,
    results.length
      ? h(
          'ul',
          { class: 'flow-list' },
          results.map((f) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'flow', 'data-testid': 'flow-result', 'data-flow-id': f.id, onclick: () => onChoose(f.id) },
                h('strong', {}, pick(f.title)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted', 'data-testid': 'no-flows' }, t('noFlows')),
  );
}
