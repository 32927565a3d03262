import type { CallCheckResult, TimelineEntry } from '../../../protocol/qa.js';
import { h } from '../app/dom.js';
import { pick, t } from '../app/i18n.js';
import { names } from '../app/names.js';

/** The entry a finding points at: the view whose action was logged at its seq, else the view of that seq, else the step. */
export function entryOfFinding(entries: TimelineEntry[], f: { seq: number; stepId: string }): TimelineEntry | undefined {
  return (
    entries.find((e) => e.action?.seq === f.seq && e.stepId === f.stepId) ?? entries.find((e) => e.seq === f.seq) ?? entries.find((e) => e.stepId === f.stepId)
  );
}

/** The step at fault by the title its view showed (a step of a version newer than the generated names too), else by its flow's names. */
const stepTitle = (target: TimelineEntry | undefined, stepId: string): string =>
  !stepId ? '—' : target?.stepId === stepId ? target.view.step.title : names.step(target?.flowId, stepId);

/** The automatic checks: passed / failed / not applicable; each finding jumps to the step at fault. */
export function renderChecks(checks: CallCheckResult[], entries: TimelineEntry[], jump: (index: number) => void): HTMLElement {
  return h(
    'section',
    { class: 'card qa-checks', 'data-testid': 'qa-checks' },
    h('h3', {}, t('qaChecks')),
    h(
      'ul',
      {},
      checks.map((c) => {
        const state = !c.applicable ? 'na' : c.passed ? 'pass' : 'fail';
        return h(
          'li',
          {
            class: `qa-check ${state}`,
            'data-testid': 'qa-check',
            'data-check-id': c.id,
            'data-passed': String(c.passed),
            'data-applicable': String(c.applicable),
          },
          h('span', { class: 'qa-check-state' }, state === 'pass' ? '✓' : state === 'fail' ? '✗' : '–'),
          h(
            'span',
            {},
            pick(c.title),
            h('span', { class: 'muted' }, ` · ${state === 'pass' ? t('qaPassed') : state === 'fail' ? t('qaCheckFailed') : t('qaNotApplicable')}`),
          ),
          c.findings.length
            ? h(
                'ul',
                { class: 'qa-findings' },
                c.findings.map((f) => {
                  const target = entryOfFinding(entries, f);
                  return h(
                    'li',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'link',
                        'data-testid': 'qa-finding',
                        'data-seq': f.seq,
                        'data-step-id': f.stepId,
                        'data-message': f.message,
                        disabled: !target,
                        onclick: () => target && jump(target.index),
                      },
                      t('qaFindingAt', { step: stepTitle(target, f.stepId), seq: f.seq }),
                    ),
                  );
                }),
              )
            : null,
        );
      }),
    ),
  );
}
