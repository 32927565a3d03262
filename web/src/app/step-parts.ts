import type { CallView } from '../../../protocol/call-view.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * The parts of a step that the call screen (agent/step-view.ts) and the QA replay
 * (qa/step-detail.ts) draw alike: mark badges' colours, the rule checks, the words to say.
 * `testIdPrefix` keeps each page's own data-testid names ('' on the call screen, 'qa-' in QA).
 */
type Step = CallView['step'];

const MARK_CLASS: Record<string, string> = { W: 'mark-w', F: 'mark-f', D: 'mark-d', C: 'mark-c', M: 'mark-m' };

/** The CSS class of a W F D C M mark badge. */
export const markClass = (mark: string): string => `mark ${MARK_CLASS[mark] ?? ''}`;

/** The eligibility rules checked at this step, each check passed or failed with its reason; `tagged`: with test ids. */
export function rulesPanel(rules: Step['rules'], tagged: boolean): HTMLElement | null {
  if (!rules?.length) return null;
  return h(
    'div',
    { class: 'rules', ...(tagged ? { 'data-testid': 'rules' } : {}) },
    rules.map((rule) =>
      h(
        'div',
        { class: 'rule' },
        h('strong', {}, `${rule.title}: ${rule.passed ? t('eligible') : t('notEligible')}`),
        h(
          'ul',
          {},
          rule.checks.map((c) =>
            h(
              'li',
              {
                class: c.passed ? 'check pass' : 'check fail',
                ...(tagged ? { 'data-testid': 'rule-check', 'data-check-id': c.id, 'data-passed': String(c.passed) } : {}),
              },
              `${c.passed ? '✓' : '✗'} ${c.label}`,
              c.reason ? h('div', { class: 'reason' }, c.reason) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

/** What the customer says (when the step has it) and the agent's script. */
export function spokenWords(step: Step, testIdPrefix: '' | 'qa-'): (HTMLElement | null)[] {
  return [
    step.customerSays
      ? h(
          'blockquote',
          { class: 'customer-words', 'data-testid': `${testIdPrefix}customer-says` },
          h('span', { class: 'speaker' }, t('customerSays')),
          step.customerSays,
        )
      : null,
    h('div', { class: 'agent-words', 'data-testid': `${testIdPrefix}script` }, h('span', { class: 'speaker' }, t('agentSays')), step.script),
  ];
}
