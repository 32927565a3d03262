import type { FlowSummary } from '../../../protocol/flows.js';
import type { WorkItem, WorkItemDetail } from '../../../protocol/work-items.js';
import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { time } from '../app/format.js';
import { names } from '../app/names.js';
import { callBack, scheduleCallbackForm } from './callback.js';
import { workItemsApi } from './work-items-api.js';
import { w } from './worklist-words.js';

/** `#/worklist`: an agent's or supervisor's work items (docs/FOLLOW-UP.md). */
export const wantsWorklist = (): boolean => location.hash.startsWith('#/worklist');

export function worklistLink(): HTMLElement {
  return wantsWorklist()
    ? h('a', { href: '#/', class: 'topbar-link', 'data-testid': 'worklist-back' }, w('worklistBack'))
    : h('a', { href: '#/worklist', class: 'topbar-link', 'data-testid': 'worklist-link' }, w('worklist'));
}

const masked = (number: string) => `${number.slice(0, 3)}****${number.slice(-4)}`;

/**
 * The worklist: my desk's items (or the ones I claimed), overdue first as the server orders them;
 * claim, resolve with the note the caller will be told, reopen, schedule a callback and make it;
 * each row opens its history.
 */
export function renderWorklist(session: Session, flows: readonly FlowSummary[]): HTMLElement {
  let scope: 'mine' | 'team' = 'team';
  let done = false;
  const body = h('div', { 'data-testid': 'worklist-body' });
  const error = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'worklist-error' });
  const page = h('section', { class: 'card worklist', 'data-testid': 'worklist', 'data-state': 'loading' });
  const tab = (which: 'mine' | 'team', label: string) =>
    h(
      'button',
      { type: 'button', 'data-testid': `worklist-${which}`, 'aria-pressed': String(scope === which), onclick: () => ((scope = which), void load()) },
      label,
    );
  const doneBox = h('input', {
    type: 'checkbox',
    id: 'worklist-done',
    'data-testid': 'worklist-done',
    onchange: () => ((done = doneBox.checked), void load()),
  });

  const act = async (run: () => Promise<WorkItemDetail>) => {
    error.textContent = '';
    try {
      await run();
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
    }
    await load();
  };

  const actions = (item: WorkItem): HTMLElement => {
    const cell = h('td', {});
    if (item.status === 'open' || (item.status === 'in-progress' && item.assignee === null)) {
      cell.append(
        h('button', { type: 'button', 'data-testid': 'wi-claim', onclick: () => void act(() => workItemsApi.claim(session.token, item.id)) }, w('wiClaim')),
      );
    }
    if (item.status === 'open' || item.status === 'in-progress') {
      const note = h('input', { 'data-testid': 'wi-note', 'aria-label': w('wiNote'), placeholder: w('wiNote'), maxlength: 2000 });
      const resolve = h(
        'button',
        {
          type: 'button',
          'data-testid': 'wi-resolve',
          onclick: () => {
            // The caller is told the note: resolving without one is refused here, as the server would.
            if (!note.value.trim()) {
              error.textContent = w('wiNoteRequired');
              note.focus();
              return;
            }
            void act(() => workItemsApi.setStatus(session.token, item.id, 'resolved', note.value.trim()));
          },
        },
        w('wiResolve'),
      );
      cell.append(note, resolve);
      if (item.type === 'callback' && item.callbackFlowId) {
        cell.append(h('button', { type: 'button', class: 'primary', 'data-testid': 'wi-call-back', onclick: () => callBack(item) }, w('cbCallBack')));
      }
    } else {
      cell.append(
        h(
          'button',
          { type: 'button', 'data-testid': 'wi-reopen', onclick: () => void act(() => workItemsApi.setStatus(session.token, item.id, 'open')) },
          w('wiReopen'),
        ),
      );
    }
    if (item.type !== 'callback') cell.append(scheduleCallbackForm(session, item, flows, (run) => void act(run)));
    return cell;
  };

  const history = (item: WorkItem, row: HTMLElement) => {
    const next = row.nextElementSibling;
    if (next?.classList.contains('wi-history')) return void next.remove();
    void workItemsApi.get(session.token, item.id).then((detail) => {
      const list = h(
        'ol',
        {},
        detail.history.map((e) =>
          h('li', {}, `${time(e.at)} · ${e.actor} · ${w(`action.${e.action}`)} → ${w(`status.${e.toStatus}`)}${e.note ? ` · ${e.note}` : ''}`),
        ),
      );
      row.after(h('tr', { class: 'wi-history', 'data-testid': 'wi-history' }, h('td', { colspan: 9 }, h('strong', {}, w('wiHistory')), list)));
    });
  };

  const rowOf = (item: WorkItem): HTMLElement => {
    const row = h(
      'tr',
      { 'data-testid': 'wi-row', 'data-id': item.id, 'data-status': item.status, 'data-overdue': String(item.overdue), class: item.overdue ? 'overdue' : '' },
      h(
        'td',
        {},
        item.overdue ? h('span', { class: 'badge bad', 'data-testid': 'wi-overdue' }, w('wiOverdue')) : '',
        item.priority === 'high' ? h('span', { class: 'badge' }, w('wiPriorityHigh')) : '',
      ),
      h('td', {}, h('button', { type: 'button', class: 'link', 'data-testid': 'wi-open', onclick: () => history(item, row) }, w(`type.${item.type}`))),
      h('td', {}, item.business ? names.flow(item.business) : ''),
      h('td', {}, masked(item.callerNumber)),
      h('td', {}, item.desk),
      h('td', {}, item.assignee ? (item.assignee === session.username ? session.username : '✓') : w('wiNobody')),
      h('td', {}, time(item.dueAt)),
      h('td', { 'data-testid': 'wi-status' }, w(`status.${item.status}`)),
      actions(item),
    );
    return row;
  };

  async function load(): Promise<void> {
    page.dataset.state = 'loading';
    header.replaceChildren(tab('team', w('worklistTeam')), tab('mine', w('worklistMine')), h('label', { for: 'worklist-done' }, doneBox, w('worklistDone')));
    try {
      const { items } = await workItemsApi.list(session.token, scope, done);
      const head = [w('wiOverdue'), w('wiType'), w('wiBusiness'), w('wiCaller'), w('wiDesk'), w('wiAssignee'), w('wiDue'), w('wiStatus'), w('wiActions')];
      body.replaceChildren(
        items.length
          ? h(
              'table',
              { class: 'qa-calls' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  head.map((c) => h('th', {}, c)),
                ),
              ),
              h('tbody', {}, items.map(rowOf)),
            )
          : h('p', { class: 'muted', 'data-testid': 'worklist-empty' }, w('worklistEmpty')),
      );
      page.dataset.state = 'ready';
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
      page.dataset.state = 'error';
    }
  }

  const header = h('div', { class: 'worklist-tabs', role: 'group' });
  page.append(h('h2', {}, w('worklist')), header, error, body);
  void load();
  return page;
}
