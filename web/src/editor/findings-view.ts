import type { Finding } from '../../../protocol/authoring.js';
import type { LocalizedText } from '../../../protocol/flow-definition.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import type { FlowJson } from './authoring-api.js';
import { et } from './editor-i18n.js';

/**
 * A step of the definition checked, by its own title there (a draft's new step is in no published
 * version, so the generated names do not know it); else by the names of its flow.
 */
function stepNamer(definition?: FlowJson | null): (id: string) => string {
  const flowId = typeof definition?.id === 'string' ? definition.id : undefined;
  return (id) => {
    const title = definition?.machine?.states?.[id]?.meta?.title as Partial<LocalizedText> | undefined;
    return title?.['zh-CN'] && title.en ? pick(title as LocalizedText) : names.step(flowId, id);
  };
}

/** Check results as a list: check / policy (by title), JSON path, message, and the offending path if any (steps by their titles in `definition`). */
export function renderFindings(findings: Finding[], testId = 'findings', definition?: FlowJson | null): HTMLElement {
  const stepName = stepNamer(definition);
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
          h('div', { class: 'finding-message' }, ...messageOf(f, stepName)),
          f.offendingPath?.length
            ? h(
                'div',
                { class: 'offending-path', 'data-testid': 'offending-path' },
                `${et('offendingPath')}: `,
                f.offendingPath.flatMap((id, i) => [i ? ' → ' : '', h('span', { 'data-step-id': id }, stepName(id))]),
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
function messageOf(f: Finding, stepName: (id: string) => string): (string | HTMLElement)[] {
  if (f.reason) return [et(`reason-${f.reason.code}`, { step: stepName(f.reason.step) })];
  return [`${et('definitionProblem')} `, h('code', { 'data-author-id': '' }, f.message)];
}
