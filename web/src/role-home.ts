import { api, type Session } from './api.js';
import { h } from './dom.js';
import { label, pick, t } from './i18n.js';
import type { FlowSummary } from './protocol.js';

/** Supervisors land on the flows they manage, and may take calls themselves. */
export function renderSupervisorHome(flows: FlowSummary[], onTakeCalls: () => void, onOpenEditor: () => void, onOpenFloor?: () => void): HTMLElement {
  return h('section', { class: 'card role-home', 'data-testid': 'role-home', 'data-role': 'supervisor' },
    h('h2', {}, t('roleHomeSupervisor')),
    editorButton(onOpenEditor),
    onOpenFloor ? h('button', { type: 'button', class: 'open-floor', 'data-testid': 'open-floor', onclick: onOpenFloor }, t('openFloor')) : null,
    h('h3', {}, t('flows')),
    h('table', { class: 'flows' },
      h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, t('flows')), h('th', {}, t('version')), h('th', {}, t('progress')))),
      h('tbody', {}, flows.map((f) => h('tr', { 'data-testid': 'flow-row', 'data-flow-id': f.id },
        h('td', {}, f.id), h('td', {}, pick(f.title)), h('td', {}, String(f.version)),
        h('td', {}, f.mainPath.map((s) => `${pick(s.title)} (${label(s.lane)})`).join(' → ')))))),
    h('button', { type: 'button', class: 'primary', 'data-testid': 'take-calls', onclick: onTakeCalls }, t('takeCalls')));
}

/** The way into the flow editor (supervisors edit; QA reads). */
const editorButton = (onOpenEditor: () => void) =>
  h('button', { type: 'button', class: 'open-editor', 'data-testid': 'open-editor', onclick: onOpenEditor }, '流程编辑 / Flow editor');

/** QA lands on call look-up: a call's logged events and whether its replay matches the log. */
export function renderQaHome(session: Session, onOpenEditor: () => void): HTMLElement {
  const input = h('input', { 'data-testid': 'qa-call-id', placeholder: t('callId'), autocomplete: 'off', size: 40 });
  const result = h('div', { 'data-testid': 'qa-result' });
  const form = h('form', {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const id = input.value.trim();
      try {
        const [call, replay] = await Promise.all([api.call(session.token, id), api.replay(session.token, id)]);
        result.replaceChildren(
          h('p', { 'data-testid': 'qa-replay', 'data-deterministic': String(replay.deterministic) },
            `${t('replay')}: ${replay.deterministic ? t('deterministic') : t('notDeterministic')} (${replay.eventsReplayed})`),
          h('p', {}, `${call.flowId}@${call.flowVersion} · ${label(call.outcome ?? call.status)} · ${call.callerNumber}`),
          h('table', { class: 'events' },
            h('thead', {}, h('tr', {}, ['seq', 'type', 'before', 'after', 'at', 'payload'].map((c) => h('th', {}, c)))),
            h('tbody', {}, call.events.map((ev) => h('tr', { 'data-testid': 'qa-event' },
              h('td', {}, String(ev.seq)), h('td', {}, ev.type), h('td', {}, ev.stateBefore ?? ''), h('td', {}, ev.stateAfter),
              h('td', {}, ev.at), h('td', { class: 'payload' }, JSON.stringify(ev.payload)))))));
      } catch (err) {
        result.replaceChildren(h('p', { class: 'error-text' }, (err as Error).message));
      }
    },
  }, h('label', {}, t('lookUpCall'), ' ', input), h('button', { type: 'submit' }, t('lookUpCall')));
  return h('section', { class: 'card role-home', 'data-testid': 'role-home', 'data-role': 'qa' }, h('h2', {}, t('roleHomeQa')), editorButton(onOpenEditor), form, result);
}
