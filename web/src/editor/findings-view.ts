import { h } from '../dom.js';
import type { Finding } from './authoring-api.js';
import { et } from './editor-i18n.js';

/** Check results as a list: check / policy, JSON path, message, and the offending path if any. */
export function renderFindings(findings: Finding[], testId = 'findings'): HTMLElement {
  if (!findings.length)
    return h('p', { class: 'findings ok', 'data-testid': testId, 'data-count': '0' }, h('span', { 'data-testid': 'no-findings' }, `✓ ${et('noFindings')}`));
  return h(
    'div',
    { class: 'findings', 'data-testid': testId, 'data-count': String(findings.length) },
    h('h4', {}, `${et('findings')} (${findings.length})`),
    h(
      'ul',
      {},
      findings.map((f) =>
        h(
          'li',
          { class: 'finding', 'data-testid': 'finding', 'data-check': f.check, 'data-policy': f.policy ?? '', 'data-path': f.path },
          h('strong', {}, f.policy ?? f.check),
          ' ',
          h('code', { class: 'finding-path' }, f.path),
          h('div', { class: 'finding-message' }, f.message),
          f.offendingPath?.length
            ? h(
                'div',
                { class: 'offending-path', 'data-testid': 'offending-path' },
                `${et('offendingPath')}: `,
                f.offendingPath.flatMap((id, i) => [i ? ' → ' : '', h('code', {}, id)]),
              )
            : null,
        ),
      ),
    ),
  );
}
