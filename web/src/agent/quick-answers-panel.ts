import type { LocalizedName } from '../../../protocol/customers.js';
import type { QuickAnswer, QuickAnswerFacts, QuickAnswerLogged, QuickAnswers } from '../../../protocol/knowledge.js';
import { queryString, request } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, locale, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { qw } from './quick-answer-words.js';

const nameOf = (name: LocalizedName): string => (typeof name === 'string' ? name : name[locale()]);

/** The facts in the screen's language: what the agent reads out. */
export function sayFacts(facts: QuickAnswerFacts): string {
  switch (facts.kind) {
    case 'bill-rise':
      return facts.rises.length
        ? qw('billRise', {
            month: facts.month,
            total: facts.totalYuan,
            previous: facts.previousTotalYuan ?? '—',
            rises: facts.rises.map((r) => qw('billRiseItem', { name: nameOf(r.name), rise: r.riseYuan })).join(qw('listSep')),
          })
        : qw('billSame', { month: facts.month, total: facts.totalYuan });
    case 'services-list':
      return facts.services.length ? qw('services', { list: facts.services.map(names.service).join(qw('listSep')) }) : qw('noServices');
    case 'plan-summary':
      return qw('plan', { name: nameOf(facts.name), monthly: facts.monthlyYuan });
    case 'points-balance':
      return qw('points', { points: facts.points });
    case 'balance':
      return qw('balance', { balance: facts.balanceYuan, arrears: facts.arrearsYuan });
    case 'data-remaining':
      return facts.packs.length
        ? qw(facts.overMb ? 'dataOver' : 'dataLeft', {
            left: facts.remainingMb,
            allowance: facts.allowanceMb,
            used: facts.usedMb,
            over: facts.overMb,
            packs: facts.packs.map((p) => qw('dataPack', { name: nameOf(p.name), left: p.remainingMb, allowance: p.allowanceMb })).join(qw('listSep')),
          })
        : qw('noData');
  }
}

/**
 * Scenario answers on the caller panel (docs/KNOWLEDGE.md): read at the screen pop; during a call
 * "told the caller" logs the answer with the call (read again from the support systems then).
 */
export class QuickAnswersPanel {
  readonly element = h('section', { class: 'card quick-answers', 'data-testid': 'quick-answers', 'data-state': 'empty' });
  private answers: QuickAnswer[] = [];
  /** Answers logged, per call. */
  private readonly told = new Map<string, Set<string>>();
  private error = '';

  constructor(
    private readonly token: string,
    private readonly callId: () => string | undefined,
  ) {}

  async load(msisdn: string): Promise<void> {
    this.answers = [];
    this.error = '';
    this.element.dataset.state = 'loading';
    this.render();
    try {
      this.answers = (await request<QuickAnswers>(`/api/knowledge/quick-answers?${queryString({ msisdn })}`, { token: this.token })).answers;
    } catch {
      this.answers = [];
    }
    this.element.dataset.state = 'ready';
    this.render();
  }

  clear(): void {
    this.answers = [];
    this.element.dataset.state = 'empty';
    this.render();
  }

  render(): void {
    this.element.hidden = !this.answers.length;
    if (!this.answers.length) return void this.element.replaceChildren();
    const callId = this.callId();
    const told = (callId && this.told.get(callId)) || new Set<string>();
    this.element.replaceChildren(
      h('h3', {}, qw('qaTitle')),
      this.error ? h('p', { class: 'error-text', role: 'alert' }, this.error) : '',
      h(
        'ul',
        {},
        this.answers.map((a) =>
          h(
            'li',
            { 'data-testid': 'quick-answer', 'data-id': a.id },
            h('strong', {}, pick(a.question)),
            h('p', { 'data-testid': 'quick-answer-text' }, a.facts ? sayFacts(a.facts) : qw('qaUnavailable')),
            told.has(a.id)
              ? h('span', { class: 'badge good', 'data-testid': 'quick-answer-told' }, qw('qaTold'))
              : h(
                  'button',
                  {
                    type: 'button',
                    'data-testid': 'quick-answer-tell',
                    disabled: !callId,
                    title: callId ? '' : qw('qaNoCall'),
                    onclick: () => void this.tell(a.id),
                  },
                  qw('qaTell'),
                ),
          ),
        ),
      ),
    );
  }

  private async tell(answerId: string): Promise<void> {
    const callId = this.callId();
    if (!callId) return;
    try {
      const logged = await request<QuickAnswerLogged>(`/api/calls/${callId}/quick-answers`, {
        token: this.token,
        method: 'POST',
        body: JSON.stringify({ answerId }),
      });
      // What was told is what the support systems said just now: the card shows it.
      this.answers = this.answers.map((a) => (a.id === answerId ? logged.answer : a));
      if (!this.told.has(callId)) this.told.set(callId, new Set());
      this.told.get(callId)!.add(answerId);
      this.error = '';
    } catch (e) {
      this.error = errorText((e as { code?: string }).code ?? 'INTERNAL');
    }
    this.render();
  }
}
