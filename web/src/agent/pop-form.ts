import { h } from '../app/dom.js';
import { errorText, t } from '../app/i18n.js';

/**
 * The screen pop's form: the caller's number, Enter pops the customer; a refusal is shown under it.
 * `ivrPath`: the telephony system put the caller through (docs/CTI.md) — said under the number, with the menus keyed.
 */
export function renderPopForm(callerNumber: string, pop: (msisdn: string) => Promise<void>, ivrPath?: string[]): HTMLFormElement {
  const input = h('input', {
    'data-testid': 'caller-number',
    name: 'callerNumber',
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: t('popHint'),
    value: callerNumber,
  });
  const error = h('p', { class: 'error-text', 'data-testid': 'pop-error', hidden: true });
  return h(
    'form',
    {
      class: 'card pop',
      'data-testid': 'pop-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        await pop(input.value.trim()).catch((err: { code?: string } | undefined) => {
          error.textContent = err?.code === 'NOT_FOUND' ? t('notFound') : errorText(err?.code ?? 'INTERNAL');
          error.hidden = false;
        });
      },
    },
    h('label', {}, t('callerNumber'), input),
    h('button', { type: 'submit', 'data-testid': 'pop-customer' }, t('pop')),
    ivrPath
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'cti-origin', 'data-ivr-path': ivrPath.join(' ') },
          t('ctiPutThrough', { path: ivrPath.length ? ivrPath.join(' › ') : t('ctiNoIvr') }),
        )
      : '',
    error,
  );
}
