import type { Session } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { FlowSummary } from '../protocol.js';
import { renderCallFinder } from './call-finder.js';
import { renderMyScorecards } from './my-scorecards.js';
import { qaApi } from './qa-api.js';
import { renderReplayViewer } from './replay-viewer.js';

/**
 * The QA pages by URL hash, so the browser's Back works: `#/qa/calls/<id>` the replay viewer, else
 * the call finder (QA); `#/my-scorecards[/<callId>]` an agent's own scorecards and their calls.
 */
const QA_CALL = /^#\/qa\/calls\/([0-9a-f-]{36})$/i;
const MINE = /^#\/my-scorecards(?:\/([0-9a-f-]{36}))?$/i;

export const go = (hash: string) => {
  location.hash = hash;
};

/** Whether an agent asked for their scorecards (instead of the call screen). */
export const wantsMyScorecards = (): boolean => MINE.test(location.hash);

export function renderQaPage(session: Session, flows: FlowSummary[]): HTMLElement {
  const callId = QA_CALL.exec(location.hash)?.[1];
  const page = h('section', { class: 'card role-home qa-page', 'data-testid': 'role-home', 'data-role': 'qa', 'data-view': callId ? 'replay' : 'finder' });
  if (callId) {
    page.append(renderReplayViewer(session, callId, { readOnly: false, onBack: () => (history.length > 1 ? history.back() : go('#/qa')) }));
    return page;
  }
  page.append(h('h2', {}, t('roleHomeQa')), renderLookUp());
  // The failed-check choices: the checks the scorecard form scores from, and the replayability pseudo-check.
  void qaApi
    .form(session.token)
    .then(
      (form) => [...new Set([...form.criteria.flatMap((c) => c.auto ?? []), 'replayable'])],
      () => ['replayable'],
    )
    .then((checkIds) => page.append(renderCallFinder(session, flows, checkIds, (id) => go(`#/qa/calls/${id}`))));
  return page;
}

/** Look-up by call id, straight to its replay. */
function renderLookUp(): HTMLElement {
  const input = h('input', { 'data-testid': 'qa-call-id', placeholder: t('callId'), autocomplete: 'off', size: 40 });
  return h(
    'form',
    {
      class: 'qa-lookup',
      'data-testid': 'qa-lookup',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const id = input.value.trim();
        if (id) go(`#/qa/calls/${id}`);
      },
    },
    h('label', {}, `${t('qaLookUpById')} `, input),
    ' ',
    h('button', { type: 'submit', 'data-testid': 'qa-look-up' }, t('lookUpCall')),
  );
}

/** An agent's own scorecards, or one of their calls replayed read-only. */
export function renderMyScorecardsPage(session: Session): HTMLElement {
  const callId = MINE.exec(location.hash)?.[1];
  return h(
    'section',
    { class: 'card role-home qa-page', 'data-role': 'agent', 'data-view': callId ? 'replay' : 'my-scorecards' },
    callId
      ? renderReplayViewer(session, callId, { readOnly: true, onBack: () => go('#/my-scorecards') })
      : renderMyScorecards(session, (id) => go(`#/my-scorecards/${id}`)),
  );
}

/** The header link for agents: to their scorecards, or back to the call screen. */
export function myScorecardsLink(): HTMLElement {
  return wantsMyScorecards()
    ? h('a', { href: '#/', class: 'topbar-link', 'data-testid': 'back-to-calls' }, t('backToCalls'))
    : h('a', { href: '#/my-scorecards', class: 'topbar-link', 'data-testid': 'my-scorecards-link' }, t('myScorecards'));
}
