import type { Finding } from '../../../protocol/authoring.js';
import { h } from '../app/dom.js';
import { names } from '../app/names.js';
import { et } from './editor-i18n.js';

/** Check results as a list: check / policy (by title), JSON path, message, and the offending path if any (steps by title; `flowId` names them). */
export function renderFindings(findings: Finding[], testId = 'findings', flowId?: string): HTMLElement {
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
          h('strong', {}, names.finding(f.check, f.policy)),
          ' ',
          h('code', { class: 'finding-path', 'data-author-id': '' }, f.path),
          h('div', { class: 'finding-message' }, ...messageOf(f, flowId)),
          f.offendingPath?.length
            ? h(
                'div',
                { class: 'offending-path', 'data-testid': 'offending-path' },
                `${et('offendingPath')}: `,
                f.offendingPath.flatMap((id, i) => [i ? ' → ' : '', h('span', { 'data-step-id': id }, names.step(flowId, id))]),
              )
            : null,
        ),
      ),
    ),
  );
}

/**
 * A finding in the screen's language: a typed reason with the step by its title; the loader's schema
 * messages (no reason: the JSON schema's own words) are technical detail for the author, shown as
 * such beside the translated lead-in, like the JSON path.
 */
function messageOf(f: Finding, flowId?: string): (string | HTMLElement)[] {
  if (f.reason) return [et(`reason-${f.reason.code}`, { step: names.step(flowId, f.reason.step) })];
  return [`${et('definitionProblem')} `, h('code', { 'data-author-id': '' }, f.message)];
}
