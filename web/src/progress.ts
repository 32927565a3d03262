import { h } from './dom.js';
import { label, pick, t } from './i18n.js';
import type { CallView, FlowSummary } from './protocol.js';

/** Where the call is in the blueprint: main-path steps done / current / ahead, and the current lane. */
export function renderProgress(flow: FlowSummary | undefined, view: CallView, visited: Set<string>): HTMLElement {
  const path = flow?.mainPath ?? [];
  const here = path.findIndex((s) => s.id === view.step.id);
  const reached = here >= 0 ? here : Math.max(-1, ...path.map((s, i) => (visited.has(s.id) ? i : -1)));
  return h(
    'nav',
    { class: 'progress', 'data-testid': 'progress', 'aria-label': t('progress') },
    h(
      'ol',
      {},
      path.map((s, i) => {
        // An ended call has no current step: everything it reached is done.
        const ended = view.status !== 'active';
        const state = i < reached || (ended && i === reached) ? 'done' : i === reached ? 'current' : 'ahead';
        return h(
          'li',
          {
            class: `progress-step ${state}`,
            'data-testid': 'progress-step',
            'data-step-id': s.id,
            'data-state': state,
            'aria-current': state === 'current' ? 'step' : null,
          },
          pick(s.title),
        );
      }),
    ),
    h('span', { class: `lane-indicator lane-${view.step.lane}`, 'data-testid': 'lane', 'data-lane': view.step.lane }, `${t('lane')}: ${label(view.step.lane)}`),
  );
}

/** A call that moves between businesses: which one is active, which are done, which are queued. */
export function renderBusinesses(view: CallView): HTMLElement {
  return h(
    'ol',
    { class: 'businesses', 'data-testid': 'businesses', 'aria-label': t('businesses') },
    view.businesses.map((b) =>
      h(
        'li',
        { class: `business ${b.status}`, 'data-testid': 'business', 'data-flow-id': b.flowId, 'data-status': b.status },
        h('strong', {}, b.title),
        b.outcome ? h('span', { class: 'muted' }, ` · ${label(b.outcome)}`) : b.status === 'queued' ? h('span', { class: 'muted' }, ` · ${t('queued')}`) : null,
      ),
    ),
  );
}
