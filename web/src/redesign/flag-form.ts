import type { FlagReason } from '../../../protocol/redesign.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { FLAG_REASONS, rt } from './redesign-words.js';

let forms = 0;

/**
 * "This step does not fit": a disclosure with the reason (from the list) and the flagger's words.
 * `send` posts the flag; the form says it was recorded, or why not, and closes on success.
 */
export function flagForm(testid: string, summary: string, send: (reason: FlagReason, text: string) => Promise<unknown>): HTMLElement {
  const n = ++forms;
  const reason = h(
    'select',
    { id: `flag-reason-${n}`, 'data-testid': `${testid}-reason` },
    FLAG_REASONS.map((r) => h('option', { value: r }, rt(r))),
  );
  const text = h('textarea', { id: `flag-text-${n}`, 'data-testid': `${testid}-text`, maxlength: 500, rows: 2 });
  const status = h('p', { class: 'muted', 'data-testid': `${testid}-status`, role: 'status' });
  const button = h('button', { type: 'submit', 'data-testid': `${testid}-send` }, rt('flagSend'));
  const details = h('details', { class: 'flag-form', 'data-testid': testid });
  const form = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        status.textContent = '';
        send(reason.value as FlagReason, text.value.trim()).then(
          () => {
            status.textContent = rt('flagSent');
            status.dataset.state = 'sent';
            text.value = '';
            details.open = false;
            button.disabled = false;
          },
          (err: { code?: string }) => {
            status.textContent = errorText(err.code ?? 'INTERNAL');
            status.dataset.state = 'error';
            button.disabled = false;
          },
        );
      },
    },
    h('label', { for: reason.id }, rt('flagReason')),
    reason,
    h('label', { for: text.id }, rt('flagText')),
    text,
    button,
  );
  details.append(h('summary', { 'data-testid': `${testid}-open` }, summary), form);
  // The status sits outside the disclosure: it stays visible once the form closes.
  return h('div', { class: 'flag-wrap' }, details, status);
}
