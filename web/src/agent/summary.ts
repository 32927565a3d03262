import type { CallView } from '../../../protocol/call-view.js';
import type { CallWithEvents } from '../../../protocol/calls.js';
import type { FlowDefinition, LocalizedText } from '../../../protocol/flow-definition.js';
import { api } from '../app/api.js';
import { h } from '../app/dom.js';
import { label, locale, pick, t } from '../app/i18n.js';
import { names } from '../app/names.js';
import { qaApi } from '../qa/qa-api.js';

/** The prompts of the view each decision was taken on, as shown (templates filled), by the decision's seq. */
export type PromptsShown = Map<number, Map<string, string>>;

/** A prompt's text when the view it was shown on is not known: its template without the facts. */
const unfilled = (text: LocalizedText) => pick(text).replace(/\{\{[^}]*\}\}/g, '…');

export interface OfferSeen {
  id: string;
  title: string;
}

/** End of call: what was done, what was offered and accepted, which reminders were given — from the log. */
export function renderSummary(
  call: CallWithEvents,
  flows: Map<string, FlowDefinition>,
  offersSeen: OfferSeen[],
  onNext: () => void,
  businesses: CallView['businesses'] = [],
  promptsShown: PromptsShown = new Map(),
): HTMLElement {
  const stateOf = (flowId: string | null, id: string | null) => (flowId && id ? flows.get(flowId)?.machine.states[id] : undefined);
  const titleIn = (flowId: string | null, id: string | null) => {
    const state = stateOf(flowId, id);
    return state ? pick(state.meta.title) : id ? names.step(flowId, id) : '';
  };
  const steps = call.events.map((e) => {
    const after = e.flowIdAfter ?? e.flowId;
    const before = (id: string | null) => titleIn(e.flowId, id);
    const option = e.type === 'decision' ? stateOf(e.flowId, e.stateBefore)?.meta.options?.find((o) => o.id === e.payload.option) : undefined;
    const jumped = after !== e.flowId ? ` ⇒ ${pick(flows.get(after)?.title)}` : '';
    return h(
      'li',
      { 'data-testid': 'summary-item', 'data-seq': e.seq },
      h('span', { class: 'muted' }, `${new Date(e.at).toLocaleTimeString()} `),
      option
        ? `${before(e.stateBefore)} → ${pick(option.label)}${jumped}`
        : e.type === 'call.started'
          ? titleIn(after, e.stateAfter)
          : `${before(e.stateBefore)} → ${titleIn(after, e.stateAfter)}${jumped}`,
    );
  });
  const reminders = call.events.flatMap((e) => {
    const confirmed = (e.payload.confirmedPrompts as string[] | undefined) ?? [];
    const prompts = stateOf(e.flowId, e.stateBefore)?.meta.prompts ?? [];
    const shown = promptsShown.get(e.seq);
    return confirmed
      .map((id) => prompts.find((p) => p.id === id))
      .filter((p): p is { id: string; text: LocalizedText } => Boolean(p))
      .map((p) => ({ id: p.id, text: shown?.get(p.id) ?? unfilled(p.text) }));
  });
  const accepted = call.outcomeDetail?.acceptedOffer as { id: string; title: LocalizedText; targetFlowId: string } | undefined;
  const next = h('button', { type: 'button', class: 'primary', 'data-testid': 'next-call', onclick: onNext }, t('nextCall'));
  const section = h(
    'section',
    { class: 'card summary', 'data-testid': 'call-summary', 'data-outcome': call.outcome ?? call.status },
    h('h2', {}, t('summary')),
    h('p', { class: 'outcome' }, `${t('outcome')}: `, h('strong', { 'data-testid': 'summary-outcome' }, label(call.outcome ?? call.status))),
    businesses.length > 1 ? h('h3', {}, t('businesses')) : null,
    businesses.length > 1
      ? h(
          'ol',
          { class: 'summary-businesses' },
          businesses.map((b) =>
            h(
              'li',
              { 'data-testid': 'summary-business', 'data-flow-id': b.flowId, 'data-outcome': b.outcome ?? b.status },
              h('strong', {}, b.title),
              ` · ${label(b.outcome ?? b.status)}`,
            ),
          ),
        )
      : null,
    h('h3', {}, t('stepsDone')),
    h('ol', { class: 'summary-steps' }, steps),
    h('h3', {}, t('offered')),
    offersSeen.length
      ? h(
          'ul',
          {},
          offersSeen.map((o) => h('li', { 'data-testid': 'summary-offered', 'data-offer-id': o.id }, o.title)),
        )
      : h('p', { class: 'muted' }, t('none')),
    accepted
      ? h(
          'p',
          { 'data-testid': 'summary-offer', 'data-offer-id': accepted.id },
          `${t('accepted')}: `,
          h('strong', {}, pick(accepted.title)),
          ` → ${names.flow(accepted.targetFlowId)}`,
        )
      : null,
    h('h3', {}, t('reminders')),
    reminders.length
      ? h(
          'ul',
          {},
          reminders.map((r) => h('li', { 'data-testid': 'summary-reminder', 'data-prompt-id': r.id }, r.text)),
        )
      : h('p', { class: 'muted' }, t('none')),
    next,
  );
  return section;
}

/**
 * The summary of an ended call, read from the log (`GET /api/calls/:id`) with the flows it went
 * through; the reminders as the agent was shown them: the call's replay renders each view with the
 * step view's own renderer (templates filled from the call's facts, in the screen's language).
 */
export async function loadSummary(token: string, view: CallView, offersSeen: OfferSeen[], onNext: () => void): Promise<HTMLElement> {
  const [call, replay] = await Promise.all([api.call(token, view.callId), qaApi.replay(token, view.callId, locale()).catch(() => null)]);
  const ids = [...new Set(call.events.flatMap((e) => [e.flowId, e.flowIdAfter ?? e.flowId]))];
  const flows = new Map(await Promise.all(ids.map(async (id) => [id, await api.flow(token, id)] as const)));
  const shown: PromptsShown = new Map();
  for (const entry of replay?.timeline.entries ?? [])
    if (entry.action?.type === 'decision') shown.set(entry.action.seq, new Map(entry.view.step.prompts.map((p) => [p.id, p.text])));
  return renderSummary(call, flows, offersSeen, onNext, view.businesses, shown);
}
