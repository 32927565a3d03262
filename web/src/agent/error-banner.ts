import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { names } from '../app/names.js';
import type { RequestError } from '../net/socket.js';

/** The call screen's banner for a refused message: what went wrong, and which inputs for VALIDATION_FAILED. */
export class ErrorBanner {
  readonly element = h('div', { class: 'banner', 'data-testid': 'error', role: 'alert', hidden: true });

  /** `inputLabel` names an input of the step on screen (a field `input.<name>`); the server's English problems are shown through names.problem. */
  show(error: RequestError, inputLabel: (name: string) => string | undefined = () => undefined): void {
    const fieldName = (field: string) => inputLabel(field.replace(/^input\./, '')) ?? '';
    const details =
      error.code === 'VALIDATION_FAILED' && error.details
        ? error.details.map((d) => `${fieldName(d.field)}${fieldName(d.field) ? ': ' : ''}${d.problems.map(names.problem).join('; ')}`).join(' · ')
        : '';
    this.element.replaceChildren(h('strong', {}, errorText(error.code)), details ? h('span', { class: 'details' }, ` ${details}`) : '');
    this.element.dataset.code = error.code;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
    delete this.element.dataset.code;
  }
}
