import type { Finding } from '../../../protocol/authoring.js';
import { h } from '../app/dom.js';
import { authoringApi, type FlowJson } from './authoring-api.js';
import { editorError, et } from './editor-i18n.js';
import { renderFindings } from './findings-view.js';

export interface RawJsonOptions {
  token: string;
  editable: boolean;
  /** A valid edit: the new definition and what the server's checks say about it. */
  onValid: (definition: FlowJson, findings: Finding[]) => void;
  /** The text no longer parses: the draft is not updated until it does again. */
  onInvalid: (message: string) => void;
}

const DEBOUNCE_MS = 350;

/**
 * The version as raw JSON in a textarea with inline validation: a parse error is shown at once;
 * valid JSON is checked by the server (POST /api/authoring/check, debounced) and its findings shown.
 */
export function renderRawJson(definition: FlowJson, findings: Finding[], opts: RawJsonOptions): HTMLElement {
  const status = h('div', { class: 'json-status', 'data-testid': 'json-status' });
  const result = h('div', {}, renderFindings(findings, 'raw-findings', definition));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  const area = h('textarea', {
    'data-testid': 'raw-json',
    class: 'raw-json',
    'aria-label': et('rawJsonLabel'),
    spellcheck: 'false',
    readonly: !opts.editable,
    rows: 28,
    value: JSON.stringify(definition, null, 2),
    oninput: () => {
      clearTimeout(timer);
      const mine = ++generation;
      let parsed: unknown;
      try {
        parsed = JSON.parse(area.value);
      } catch (e) {
        // The browser's parse message is English: the page shows where (its position), the message stays in data-message.
        const at = /position (\d+)/.exec((e as Error).message)?.[1];
        status.replaceChildren(
          h('p', { class: 'error-text', 'data-testid': 'json-error', 'data-message': (e as Error).message }, `${et('jsonInvalid')}${at ? ` (${at})` : ''}`),
        );
        area.classList.add('invalid');
        opts.onInvalid((e as Error).message);
        return;
      }
      area.classList.remove('invalid');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        status.replaceChildren(h('p', { class: 'error-text', 'data-testid': 'json-error' }, et('jsonInvalid')));
        opts.onInvalid('not an object');
        return;
      }
      status.replaceChildren(h('p', { class: 'muted', 'data-testid': 'json-checking' }, et('checking')));
      timer = setTimeout(async () => {
        try {
          const { findings: found } = await authoringApi.check(opts.token, parsed as FlowJson);
          if (mine !== generation) return;
          status.replaceChildren();
          result.replaceChildren(renderFindings(found, 'raw-findings', parsed as FlowJson));
          opts.onValid(parsed as FlowJson, found);
        } catch (e) {
          if (mine === generation)
            status.replaceChildren(
              h('p', { class: 'error-text', 'data-testid': 'json-error', 'data-code': (e as { code?: string }).code ?? '' }, editorError(e)),
            );
        }
      }, DEBOUNCE_MS);
    },
  });
  return h('div', { class: 'raw-json-pane' }, area, status, result);
}
