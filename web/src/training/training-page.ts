import type { CallView } from '../../../protocol/call-view.js';
import type { LocalizedText } from '../../../protocol/flow-definition.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import type { ScenarioLine, TrainingScenario } from '../../../protocol/training.js';
import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, locale, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { CallScreen } from '../agent/call-screen.js';
import { forgetSavedCall, saveCall } from '../agent/saved-call.js';
import type { ConnectionState } from '../net/socket.js';
import { trainingApi } from './training-api.js';
import { certificationTable, outcomeText, resultTable } from './training-tables.js';
import { tw } from './training-words.js';

/** `#/training`: an agent's scenario practice; `#/certifications`: who is certified for what (supervisors). */
export const wantsTraining = (): boolean => location.hash.startsWith('#/training');
export const wantsCertifications = (): boolean => location.hash.startsWith('#/certifications');

export const trainingLink = (): HTMLElement =>
  wantsTraining()
    ? h('a', { href: '#/', class: 'topbar-link', 'data-testid': 'training-back' }, tw('trBack'))
    : h('a', { href: '#/training', class: 'topbar-link', 'data-testid': 'training-link' }, tw('training'));

export const certificationsLink = (): HTMLElement =>
  wantsCertifications()
    ? h('a', { href: '#/', class: 'topbar-link', 'data-testid': 'certifications-back' }, tw('trBack'))
    : h('a', { href: '#/certifications', class: 'topbar-link', 'data-testid': 'certifications-link' }, tw('certificationsLink'));

const valueText = (input: Record<string, unknown> | undefined): string =>
  input
    ? Object.values(input)
        .map((v) => String(v))
        .join('，')
    : '';

/** Speaks the caller's line in the page's language where the browser can (Web Speech API). */
function speakButton(text: LocalizedText): HTMLElement | null {
  if (!('speechSynthesis' in window)) return null;
  const speak = () => {
    const utterance = new SpeechSynthesisUtterance(pick(text));
    utterance.lang = locale();
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  };
  return h('button', { type: 'button', class: 'speak', 'data-testid': 'tr-speak', onclick: speak }, tw('trSpeak'));
}

/** The simulated caller's script: each step's line and, at the agent's choices, the caller's answer. */
function scenarioPanel(scenario: TrainingScenario): { element: HTMLElement; follow(view: CallView): void } {
  const line = (l: ScenarioLine) =>
    h(
      'li',
      { 'data-testid': 'tr-line', 'data-step': l.stepId },
      h('strong', {}, pick(l.stepTitle)),
      l.says ? h('p', {}, `${tw('trSays')}：“${pick(l.says)}”`, speakButton(l.says)) : null,
      l.answer
        ? h('p', { class: 'answer' }, `${tw('trAnswers')}：${pick(l.answer.optionLabel)}${l.answer.input ? `（${valueText(l.answer.input)}）` : ''}`)
        : null,
    );
  const items = scenario.lines.map(line);
  const element = h(
    'aside',
    { class: 'card training-script', 'data-testid': 'tr-scenario', 'data-scenario': scenario.id, 'aria-label': tw('trScenario') },
    h('h2', {}, `${tw('trScenario')}：${names.flow(scenario.flowId)}`),
    h('p', {}, `${tw('trCaller')}：${scenario.customerName}（${scenario.callerNumber}）`),
    h('ol', {}, ...items),
  );
  return {
    element,
    follow: (view) => {
      for (const li of items) {
        const now = li.dataset.step === view.step.id && view.flow.id === scenario.flowId;
        li.toggleAttribute('aria-current', now);
        li.classList.toggle('current', now);
      }
    },
  };
}

/** The trainee's page: choose a business, take the simulated call on the real call screen, see the score; their certifications and calls. */
export function mountTraining(root: HTMLElement, session: Session, flows: FlowSummary[], setConnection: (s: ConnectionState) => void): () => void {
  let screen: CallScreen | null = null;
  let polling: number | undefined;
  const error = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'tr-error' });
  const businesses = flows.filter((f) => f.kind === 'business');

  const leaveCall = () => {
    window.clearTimeout(polling);
    screen?.unmount();
    screen = null;
  };

  async function home(): Promise<void> {
    leaveCall();
    const select = h(
      'select',
      { id: 'tr-flow', 'data-testid': 'tr-flow' },
      ...businesses.map((f) => h('option', { value: f.id }, names.flow(f.id))),
    ) as HTMLSelectElement;
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': 'tr-start', onclick: () => void practise(select.value) }, tw('trStart'));
    const page = h(
      'section',
      { class: 'card training', 'data-testid': 'training', 'data-state': 'loading' },
      h('h2', {}, tw('trPractise')),
      h('p', {}, tw('trPractiseHint')),
      h('div', { class: 'row' }, h('label', { for: 'tr-flow' }, tw('trBusiness')), select, start),
      error,
    );
    root.replaceChildren(page);
    try {
      const mine = await trainingApi.mine(session.token);
      page.append(
        h('p', { 'data-testid': 'tr-rules' }, tw('trRules', { score: mine.passScore, n: mine.required })),
        ...(mine.certifiedOnly ? [h('p', {}, tw('trCertifiedOnly'))] : []),
        h('h3', {}, tw('trMyCerts')),
        certificationTable(mine.certifications, false),
        h('h3', {}, tw('trMyCalls')),
        resultTable(mine.results, false),
      );
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
    }
    page.dataset.state = 'ready';
  }

  async function practise(flowId: string): Promise<void> {
    error.textContent = '';
    let started;
    try {
      started = await trainingApi.start(session.token, flowId);
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
      return;
    }
    const { callId, scenario } = started;
    // The call screen re-attaches to the saved call: the trainee works it exactly as a real one.
    saveCall({ callId, callerNumber: scenario.callerNumber, flowId, offersSeen: [], visited: [] });
    const panel = scenarioPanel(scenario);
    const result = h('div', { 'data-testid': 'tr-outcome', 'aria-live': 'polite' });
    const callArea = h('div', { class: 'training-call' });
    root.replaceChildren(h('div', { class: 'training-layout', 'data-testid': 'training-call' }, panel.element, h('div', {}, result, callArea)));
    let ended = false;
    screen = new CallScreen(callArea, session, flows, setConnection, (view) => {
      panel.follow(view);
      if (view.status !== 'active' && !ended) {
        ended = true;
        void showResult(callId, result);
      }
    });
    await screen.mount();
  }

  async function showResult(callId: string, box: HTMLElement): Promise<void> {
    box.replaceChildren(h('p', {}, tw('trScoring')));
    const r = await trainingApi.result(session.token, callId).catch(() => null);
    if (!r || r.passed === null) {
      polling = window.setTimeout(() => void showResult(callId, box), 500);
      return;
    }
    forgetSavedCall();
    box.replaceChildren(
      h(
        'section',
        { class: `card training-result ${r.passed ? 'ok' : 'failed'}`, 'data-testid': 'tr-result-box', 'data-passed': String(r.passed) },
        h('h2', {}, `${tw('trResult')}：${outcomeText(r)}`),
        h('p', {}, `${tw('trScore')}：${r.score}`),
        h('p', {}, `${tw('trFollowed')}：${r.followed} / ${r.expected}`),
        h('p', {}, `${tw('trFailedChecks')}：${r.failedChecks.length ? r.failedChecks.map((c) => names.check(c)).join('、') : tw('trNone')}`),
        h('button', { type: 'button', 'data-testid': 'tr-again', onclick: () => void home() }, tw('trAgain')),
      ),
    );
    box.scrollIntoView({ block: 'start' });
  }

  void home();
  return leaveCall;
}

/** Supervisors: every trainee's certifications and practice calls. */
export function renderCertifications(session: Session): HTMLElement {
  const page = h('section', { class: 'card training', 'data-testid': 'certifications', 'data-state': 'loading' }, h('h2', {}, tw('trCertsTitle')));
  void trainingApi
    .overview(session.token)
    .then((o) => {
      page.append(
        h('p', { 'data-testid': 'tr-rules' }, tw('trRules', { score: o.passScore, n: o.required })),
        ...(o.certifiedOnly ? [h('p', {}, tw('trCertifiedOnly'))] : []),
        certificationTable(o.certifications, true),
        h('h3', {}, tw('trAllCalls')),
        resultTable(o.results, true),
      );
    })
    .catch((e: unknown) => page.append(h('p', { class: 'error-text', role: 'alert' }, errorText(e instanceof ApiError ? e.code : 'INTERNAL'))))
    .finally(() => (page.dataset.state = 'ready'));
  return page;
}
