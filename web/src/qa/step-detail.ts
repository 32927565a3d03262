import type { NotKeptMarker } from '../../../protocol/calls.js';
import type { TimelineEntry } from '../../../protocol/qa.js';
import { h } from '../app/dom.js';
import { label, t } from '../app/i18n.js';
import { names } from '../app/names.js';
import { duration, time } from '../app/format.js';
import { markClass, rulesPanel, spokenWords } from '../app/step-parts.js';
import { renderReplyFields } from './reply-view.js';
import type { FlagReason } from '../../../protocol/redesign.js';
import { FLAG_REASONS, rt } from '../redesign/redesign-words.js';

/** What the log keeps of typed digits (protocol/calls NotKeptMarker): shown as words, never as the marker. */
const NOT_KEPT: NotKeptMarker = '[not kept]';

export const markBadges = (marks: string[]) =>
  marks.map((m) => h('span', { class: markClass(m), 'data-testid': 'qa-mark', 'data-mark': m, title: label(m) }, m));

/**
 * One step exactly as the agent saw it (the view re-rendered from the log) and what they did there:
 * prompts ticked or not, the offer and option chosen, inputs, the back end's reply, time spent.
 */
export function renderStepDetail(entry: TimelineEntry, total: number): HTMLElement {
  const { step } = entry.view;
  const action = entry.action;
  const decided = action?.type === 'decision';
  const confirmed = new Set(action?.confirmedPrompts ?? []);
  const input = action?.input ?? {};
  const chosenOffer = typeof input.offerId === 'string' ? input.offerId : null;

  return h(
    'section',
    {
      class: `step qa-step-detail lane-${step.lane}${entry.wait ? ' wait' : ''}`,
      'data-testid': 'qa-step-detail',
      'data-step-id': entry.stepId,
      'data-index': entry.index,
      'data-seq': entry.seq,
    },
    h(
      'header',
      { class: 'step-header' },
      h('span', { class: 'muted' }, t('qaStepOf', { n: entry.index + 1, total })),
      h('h2', { 'data-testid': 'qa-detail-title' }, step.title),
      h('span', { class: 'marks' }, markBadges(step.marks)),
      h(
        'span',
        { class: 'muted' },
        `${names.flowVersion(entry.flowId, entry.flowVersion)}${entry.variant ? ` (${names.region(entry.variant)})` : ''} · ${label(step.lane)} · ${t('qaSeq', { seq: entry.seq })}`,
      ),
    ),
    h(
      'p',
      { class: 'qa-time', 'data-testid': 'qa-detail-time', 'data-duration-ms': entry.durationMs ?? '' },
      `${t('qaTimeSpent')}: ${duration(entry.durationMs)} · ${time(entry.enteredAt)} → ${time(entry.leftAt)}`,
      entry.wait ? h('span', { class: 'badge wait-badge' }, `W · ${t('qaWait')}`) : null,
    ),
    rulesPanel(step.rules, false),
    spokenWords(step, 'qa-'),
    step.holding ? h('div', { class: 'holding' }, h('span', { class: 'holding-text' }, step.holding.text)) : null,
    step.prompts.length
      ? h(
          'fieldset',
          { class: 'prompts' },
          h('legend', {}, t('prompts')),
          h(
            'ul',
            { class: 'qa-prompts' },
            step.prompts.map((p) => {
              const ok = decided && confirmed.has(p.id);
              return h(
                'li',
                {
                  class: ok ? 'check pass' : 'check fail',
                  'data-testid': 'qa-prompt',
                  'data-prompt-id': p.id,
                  'data-confirmed': String(ok),
                },
                `${ok ? '✓' : '✗'} ${p.text}`,
                h('span', { class: 'muted' }, ` (${ok ? t('qaConfirmed') : t('qaNotConfirmed')})`),
              );
            }),
          ),
        )
      : null,
    step.offers?.length
      ? h(
          'fieldset',
          { class: 'offers' },
          h('legend', {}, t('offers')),
          step.offers.map((o) =>
            h(
              'div',
              {
                class: `offer${o.id === chosenOffer ? ' chosen' : ''}`,
                'data-testid': 'qa-offer',
                'data-offer-id': o.id,
                'data-chosen': String(o.id === chosenOffer),
              },
              h('span', { class: 'offer-title' }, `${o.id === chosenOffer ? '✓ ' : ''}${o.title}`),
              h('span', { class: 'offer-pitch' }, o.pitch),
            ),
          ),
        )
      : null,
    step.options.length
      ? h(
          'div',
          { class: 'qa-options' },
          h('strong', {}, `${t('qaOptions')}: `),
          step.options.map((o) => {
            const chosen = decided && action?.option === o.id;
            return h(
              'span',
              {
                class: `qa-option${chosen ? ' chosen' : ''}`,
                'data-testid': 'qa-option',
                'data-option-id': o.id,
                'data-chosen': String(chosen),
              },
              `${chosen ? '✓ ' : ''}${o.label}`,
            );
          }),
        )
      : null,
    renderAction(entry),
  );
}

function renderAction(entry: TimelineEntry): HTMLElement {
  const action = entry.action;
  if (!action) return h('p', { class: 'qa-action muted', 'data-testid': 'qa-action', 'data-type': 'none' }, t('qaNoAction'));
  const stayed = action.leftStep ? null : h('span', { class: 'muted' }, ` ${t('qaStayed')}`);
  if (action.type === 'backend.reply' && action.reply) {
    const r = action.reply;
    return h(
      'div',
      {
        class: `qa-action qa-reply ${r.ok ? 'ok' : 'failed'}`,
        'data-testid': 'qa-action',
        'data-type': action.type,
        'data-ok': String(r.ok),
        'data-operation': r.operation,
      },
      h('strong', {}, `${t('qaReply')}: ${names.operation(r.operation)} — ${r.ok ? t('qaReplyOk') : t('qaReplyFailed')}`),
      r.latencyMs !== undefined ? ` · ${t('qaLatency')} ${duration(r.latencyMs)}` : null,
      stayed,
      ...renderReplyFields(r),
    );
  }
  if (action.type === 'decision') {
    const step = entry.view.step;
    const option = step.options.find((o) => o.id === action.option);
    const inputs = Object.entries(action.input ?? {}).filter(([name]) => name !== 'offerId' || !step.offers?.length);
    return h(
      'div',
      { class: 'qa-action', 'data-testid': 'qa-action', 'data-type': action.type, 'data-option-id': action.option ?? '' },
      h('strong', {}, `${t('qaChosen')}: ${option?.label ?? action.option}`),
      stayed,
      inputs.length
        ? h(
            'dl',
            { class: 'qa-inputs', 'data-testid': 'qa-inputs' },
            inputs.map(([name, value]) => {
              const def = step.inputs.find((i) => i.name === name);
              const shown =
                value === NOT_KEPT
                  ? t('qaNotKept')
                  : (def?.values?.find((v) => v.id === value)?.label ?? (typeof value === 'string' ? value : JSON.stringify(value)));
              return h('div', { class: 'field', 'data-input': name }, h('dt', {}, def?.label ?? name), h('dd', {}, shown));
            }),
          )
        : null,
    );
  }
  if (action.type === 'step.flag' && action.flag) {
    const reason = (FLAG_REASONS as readonly string[]).includes(action.flag.reason) ? (action.flag.reason as FlagReason) : 'other';
    return h(
      'p',
      { class: 'qa-action qa-flagged', 'data-testid': 'qa-action', 'data-type': action.type, 'data-reason': action.flag.reason },
      h('strong', {}, `${rt('agentFlagged')}: ${rt(reason)}`),
      action.flag.text ? ` — ${action.flag.text}` : null,
      stayed,
    );
  }
  return h(
    'p',
    { class: 'qa-action', 'data-testid': 'qa-action', 'data-type': action.type },
    action.type === 'timeout' ? t('qaActionTimeout') : t('qaActionHangup'),
    stayed,
  );
}
