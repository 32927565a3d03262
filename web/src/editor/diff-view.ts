import type { VersionSummary } from '../../../protocol/authoring.js';
import { ApiError } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick } from '../app/i18n.js';
import { authoringApi } from './authoring-api.js';
import { editorLabel, et } from './editor-i18n.js';

/**
 * A change sentence as the server words it names a step by id and title (`「warn」（提醒停机注意事项）`,
 * `'warn' (Warn before suspending)`): the supervisor reads the title only.
 */
const ID = '[a-z0-9]+(?:-[a-z0-9]+)*';
const readable = (sentence: string): string =>
  sentence.replace(new RegExp(`「${ID}」（([^（）]*)）`, 'g'), '「$1」').replace(new RegExp(`'${ID}' \\(([^()]*)\\)`, 'g'), "'$1'");

/** Two versions of a flow and what changed between them, in the supervisor's words. */
export function renderDiffView(token: string, flowId: string, versions: VersionSummary[], from: number, to: number): HTMLElement {
  const select = (testId: string, value: number) =>
    h(
      'select',
      { 'data-testid': testId },
      versions.map((v) =>
        h(
          'option',
          { value: String(v.version), selected: v.version === value },
          `v${v.version} · ${et(v.status)}${v.loads ? '' : ` · ⚠ ${et('doesNotLoad')}`}`,
        ),
      ),
    );
  const fromSel = select('diff-from', from);
  const toSel = select('diff-to', to);
  const result = h('div', { 'data-testid': 'diff-result' });
  const run = async () => {
    result.replaceChildren();
    try {
      const diff = await authoringApi.diff(token, flowId, Number(fromSel.value), Number(toSel.value));
      result.setAttribute('data-from', fromSel.value);
      result.setAttribute('data-to', toSel.value);
      result.replaceChildren(
        h('p', { class: 'muted', 'data-testid': 'diff-summary' }, et('changesSummary', diff.summary)),
        diff.changes.length
          ? h(
              'ul',
              { class: 'diff-changes' },
              diff.changes.map((c) =>
                h(
                  'li',
                  {
                    'data-testid': 'diff-change',
                    'data-kind': c.kind,
                    'data-step-id': c.stepId ?? '',
                    'data-field': c.field ?? '',
                    'data-locale': c.locale ?? '',
                  },
                  h('span', { class: `diff-kind kind-${c.kind}` }, editorLabel(c.kind)),
                  ' ',
                  readable(pick(c.text)),
                ),
              ),
            )
          : h('p', { 'data-testid': 'diff-empty' }, et('noChanges')),
      );
    } catch (e) {
      // The server's typed refusal says why (e.g. VERSION_DOES_NOT_LOAD: which version, its first problem).
      const code = e instanceof ApiError ? e.code : '';
      const version = e instanceof ApiError ? (e.details as { version?: number } | undefined)?.version : undefined;
      result.replaceChildren(
        h('p', { class: 'error-text', 'data-testid': 'diff-error', 'data-code': code }, `${errorText(code || 'INTERNAL')}${version ? ` (v${version})` : ''}`),
      );
    }
  };
  fromSel.addEventListener('change', run);
  toSel.addEventListener('change', run);
  void run();
  return h(
    'section',
    { class: 'diff', 'data-testid': 'diff' },
    h(
      'div',
      { class: 'diff-pick' },
      h('label', {}, et('from'), ' ', fromSel),
      h('label', {}, et('to'), ' ', toSel),
      h('button', { type: 'button', 'data-testid': 'diff-run', onclick: run }, et('compare')),
    ),
    result,
  );
}
