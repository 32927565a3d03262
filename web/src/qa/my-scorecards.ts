import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, t } from '../app/i18n.js';
import { time } from '../app/format.js';
import { qaApi } from './qa-api.js';

/** The agent's own scorecards, newest first; each opens its call's replay (read-only). */
export function renderMyScorecards(session: Session, open: (callId: string) => void): HTMLElement {
  const body = h('div', {});
  const el = h('div', { class: 'my-scorecards', 'data-testid': 'my-scorecards', 'data-state': 'loading' }, h('h2', {}, t('myScorecards')), body);
  void qaApi.mine(session.token).then(
    (cards) => {
      body.replaceChildren(
        cards.length
          ? h(
              'table',
              { class: 'qa-calls' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  [
                    t('qaUpdated'),
                    t('callId'),
                    t('qaTotalScore', { total: '' }).trim(),
                    t('qaRevision', { n: '' }).trim(),
                    t('qaReviewer'),
                    t('qaOverallComment'),
                    t('qaOpen'),
                  ].map((c) => h('th', {}, c)),
                ),
              ),
              h(
                'tbody',
                {},
                cards.map((c) =>
                  h(
                    'tr',
                    {
                      'data-testid': 'my-scorecard-row',
                      'data-call-id': c.callId,
                      'data-scorecard-id': c.id,
                      'data-total': c.total,
                      'data-revision': c.revision,
                    },
                    h('td', {}, time(c.updatedAt)),
                    h('td', {}, h('code', {}, c.callId.slice(0, 8))),
                    h('td', { class: 'qa-total-cell' }, String(c.total)),
                    h('td', {}, String(c.revision)),
                    h('td', {}, c.reviewer),
                    h('td', {}, c.comment ?? ''),
                    h(
                      'td',
                      {},
                      h(
                        'a',
                        {
                          href: `#/my-scorecards/${c.callId}`,
                          'data-testid': 'my-scorecard-open',
                          onclick: (e: Event) => {
                            e.preventDefault();
                            open(c.callId);
                          },
                        },
                        t('qaOpen'),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted', 'data-testid': 'my-scorecards-empty' }, t('myScorecardsEmpty')),
      );
      el.dataset.state = 'ready';
    },
    (err) => {
      body.replaceChildren(h('p', { class: 'error-text' }, errorText(err instanceof ApiError ? err.code : 'INTERNAL')));
      el.dataset.state = 'error';
    },
  );
  return el;
}
