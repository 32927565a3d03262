import type { CallbackContext } from '../../../protocol/call-view.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import type { WorkItem, WorkItemDetail } from '../../../protocol/work-items.js';
import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { time } from '../app/format.js';
import { names } from '../app/names.js';
import { workItemsApi } from './work-items-api.js';
import { w } from './worklist-words.js';

/** A callback the worklist asked the call screen to make (docs/FOLLOW-UP.md): kept for one page change. */
export interface PendingCallback {
  workItemId: number;
  callerNumber: string;
  flowId: string;
}

const PENDING_KEY = 'laihua.callback';

/** "Call back": the call screen takes the caller's card and starts the outbound call on the item's flow. */
export function callBack(item: WorkItem): void {
  const pending: PendingCallback = { workItemId: item.id, callerNumber: item.callerNumber, flowId: item.callbackFlowId ?? '' };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  sessionStorage.setItem('laihua.takeCalls', '1');
  location.hash = '#/';
}

/** The callback waiting to be made, taken once (a reload does not dial twice). */
export function takePendingCallback(): PendingCallback | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as PendingCallback;
    return Number.isInteger(p.workItemId) && typeof p.callerNumber === 'string' && typeof p.flowId === 'string' ? p : null;
  } catch {
    return null;
  }
}

/** On the call screen of an outbound callback: what it follows up, so the agent opens with it. */
export function renderCallbackBanner(callback: CallbackContext): HTMLElement {
  const { about } = callback;
  const what = [
    `${w(`type.${about.type as WorkItem['type']}`)} #${about.itemId}`,
    about.business ? names.flow(about.business) : '',
    about.receiptId ? `${w('cbReceipt')} ${about.receiptId}` : '',
  ].filter(Boolean);
  return h(
    'div',
    { class: 'card callback-banner', role: 'note', 'data-testid': 'callback-banner' },
    h('strong', {}, w('cbBanner', { id: callback.workItemId })),
    h('p', {}, what.join(' · ')),
    callback.note ? h('p', { 'data-testid': 'callback-note' }, callback.note) : '',
    h('p', { class: 'muted' }, `${w('cbPromised')} ${time(callback.dueAt)}`),
  );
}

/** `datetime-local` wants local time without seconds. */
const localInput = (d: Date): string => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Schedule a callback on an item: when (default in two hours), on which business, and what for. */
export function scheduleCallbackForm(
  session: Session,
  item: WorkItem,
  flows: readonly FlowSummary[],
  act: (run: () => Promise<WorkItemDetail>) => void,
): HTMLElement {
  const businesses = flows.filter((f) => f.kind === 'business');
  const at = h('input', { type: 'datetime-local', 'data-testid': 'cb-at', 'aria-label': w('cbAt'), value: localInput(new Date(Date.now() + 2 * 3_600_000)) });
  const flow = h(
    'select',
    { 'data-testid': 'cb-flow', 'aria-label': w('cbFlow') },
    businesses.map((f) => h('option', { value: f.id, selected: f.id === item.business }, names.flow(f.id))),
  );
  const note = h('input', { 'data-testid': 'cb-note', 'aria-label': w('cbNote'), placeholder: w('cbNote'), maxlength: 2000 });
  const submit = h(
    'button',
    {
      type: 'button',
      'data-testid': 'cb-submit',
      onclick: () => act(() => workItemsApi.callback(session.token, item.id, new Date(at.value).toISOString(), flow.value, note.value.trim() || undefined)),
    },
    w('cbSubmit'),
  );
  return h('details', { class: 'cb-schedule', 'data-testid': 'cb-schedule' }, h('summary', {}, w('cbSchedule')), at, flow, note, submit);
}
