import type { QaReplay, TimelineEntry } from '../../../protocol/qa.js';
import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, label, locale, t } from '../app/i18n.js';
import { names } from '../app/names.js';
import { renderChecks } from './checks-panel.js';
import { duration, time } from '../app/format.js';
import { qaApi } from './qa-api.js';
import { renderScorecardPanel } from './scorecard-panel.js';
import { markBadges, renderStepDetail } from './step-detail.js';
import { flagForm } from '../redesign/flag-form.js';
import { redesignApi } from '../redesign/redesign-api.js';
import { rt } from '../redesign/redesign-words.js';

/**
 * A call replayed for review: verification and totals, its businesses, the timeline of every view
 * the agent was shown (click, Prev/Next or ←/→ to move), the step in detail, the automatic checks
 * (findings jump to the step at fault) and the scorecard (read-only for the agent's own calls).
 */
export function renderReplayViewer(session: Session, callId: string, opts: { readOnly: boolean; onBack: () => void }): HTMLElement {
  const root = h(
    'div',
    { class: 'qa-replay', 'data-testid': 'qa-replay', 'data-call-id': callId, 'data-state': 'loading' },
    h('button', { type: 'button', 'data-testid': 'qa-back', onclick: opts.onBack }, `← ${t('qaBack')}`),
  );
  void load();
  return root;

  async function load(): Promise<void> {
    try {
      const [replay, form] = await Promise.all([qaApi.replay(session.token, callId, locale()), qaApi.form(session.token)]);
      root.append(...mount(replay, renderScorecardPanel(session, callId, form, replay.checks, opts.readOnly)));
      root.dataset.state = 'ready';
    } catch (err) {
      root.dataset.state = 'error';
      const e = err instanceof ApiError ? err : null;
      root.append(
        h('p', { class: 'error-text', 'data-testid': 'qa-replay-error', 'data-code': e?.code ?? 'INTERNAL', role: 'alert' }, errorText(e?.code ?? 'INTERNAL')),
      );
    }
  }

  function mount(replay: QaReplay, scorecard: HTMLElement): HTMLElement[] {
    const { entries } = replay.timeline;
    let current = 0;
    const detail = h('div', { class: 'qa-detail-area' });
    const position = h('span', { 'data-testid': 'qa-step-position' });
    const prev = h('button', { type: 'button', 'data-testid': 'qa-prev-step', onclick: () => go(current - 1) }, t('qaPrevStep'));
    const next = h('button', { type: 'button', 'data-testid': 'qa-next-step', onclick: () => go(current + 1) }, t('qaNextStep'));
    const items = entries.map((e) =>
      h(
        'button',
        {
          type: 'button',
          class: `qa-step${e.wait ? ' wait' : ''}`,
          'data-testid': 'qa-step',
          'data-step-id': e.stepId,
          'data-index': e.index,
          'data-seq': e.seq,
          'data-wait': String(e.wait),
          onclick: () => go(e.index),
        },
        h('span', { class: 'qa-step-n' }, String(e.index + 1)),
        h('span', { class: 'qa-step-title' }, e.view.step.title),
        h('span', { class: 'marks' }, markBadges(e.marks)),
        h('span', { class: 'qa-step-time', 'data-testid': 'qa-step-duration' }, duration(e.durationMs)),
      ),
    );

    function go(index: number): void {
      if (!entries.length) return;
      current = Math.max(0, Math.min(entries.length - 1, index));
      items.forEach((el, i) => {
        el.classList.toggle('current', i === current);
        el.dataset.current = String(i === current);
      });
      items[current].scrollIntoView({ block: 'nearest' });
      const entry = entries[current];
      // QA flags the step of this view for the redesign backlog (docs/REDESIGN.md): an audited row.
      const flag =
        session.role === 'qa' ? flagForm('qa-flag', rt('flagQa'), (reason, text) => redesignApi.qaFlag(session.token, callId, entry.seq, reason, text)) : null;
      detail.replaceChildren(renderStepDetail(entry, entries.length), ...(flag ? [flag] : []));
      position.textContent = t('qaStepOf', { n: current + 1, total: entries.length });
      position.dataset.index = String(current);
      prev.disabled = current === 0;
      next.disabled = current === entries.length - 1;
      root.dataset.index = String(current);
    }

    const onKey = (e: KeyboardEvent) => {
      if (!root.isConnected) return document.removeEventListener('keydown', onKey);
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.key === 'ArrowLeft') go(current - 1);
      else if (e.key === 'ArrowRight') go(current + 1);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);

    const layout = h(
      'div',
      { class: 'qa-replay-grid' },
      h('nav', { class: 'card qa-timeline', 'data-testid': 'qa-timeline' }, h('h3', {}, t('qaTimeline')), timelineList(entries, items)),
      h('div', { class: 'qa-detail-col' }, h('div', { class: 'qa-step-nav' }, prev, position, next), detail),
      h('aside', { class: 'qa-side' }, renderChecks(replay.checks, entries, go), scorecard),
    );
    go(0);
    return [renderHeader(replay), layout];
  }
}

/** The timeline, with a heading where the call moved into another business. */
function timelineList(entries: TimelineEntry[], items: HTMLElement[]): HTMLElement {
  const list = h('ol', { class: 'qa-steps' });
  entries.forEach((e, i) => {
    if (i === 0 || entries[i - 1].segment !== e.segment)
      list.append(h('li', { class: 'qa-segment', 'data-testid': 'qa-segment', 'data-flow-id': e.flowId }, names.flowVersion(e.flowId, e.flowVersion)));
    list.append(h('li', {}, items[i]));
  });
  return list;
}

function renderHeader(replay: QaReplay): HTMLElement {
  const { call, verification, timeline } = replay;
  const divergence = verification.divergences[0] ?? timeline.divergence;
  const chain = verification.chain;
  const totals = timeline.totals;
  const titles = new Map((timeline.entries.at(-1)?.view.businesses ?? []).map((b) => [b.flowId, b.title]));
  return h(
    'section',
    { class: 'card qa-replay-header' },
    h('h2', {}, `${t('qaReplayOf')} · `, h('code', {}, call.id)),
    h(
      'p',
      {},
      `${call.callerNumber} · ${names.flowVersion(call.flowId, call.flowVersion)} · ${names.callStatus(call.status)} · ${call.outcome ? label(call.outcome) : '—'} · ${time(call.startedAt)} → ${time(call.endedAt)}`,
    ),
    h(
      'p',
      { class: 'qa-verdicts' },
      h(
        'span',
        {
          class: `badge ${verification.deterministic ? 'good' : 'bad'}`,
          'data-testid': 'qa-verification',
          'data-deterministic': String(verification.deterministic),
        },
        `${verification.deterministic ? t('deterministic') : t('notDeterministic')} (${t('events')} ${verification.eventsReplayed})`,
      ),
      divergence
        ? h('span', { class: 'badge bad', 'data-testid': 'qa-divergence', 'data-seq': divergence.seq }, t('qaDivergence', { seq: divergence.seq }))
        : null,
      chain
        ? h(
            'span',
            { class: `badge ${chain.intact ? 'good' : 'bad'}`, 'data-testid': 'qa-chain', 'data-intact': String(chain.intact) },
            chain.intact ? t('qaChainIntact') : t('qaChainBroken', { seq: chain.brokenAt?.seq ?? '?', reason: chain.brokenAt?.reason ?? '' }),
          )
        : null,
      h(
        'span',
        { 'data-testid': 'qa-totals', 'data-duration-ms': totals.durationMs, 'data-wait-ms': totals.waitMs, 'data-steps': totals.steps },
        t('qaTotals', {
          total: duration(totals.durationMs),
          wait: duration(totals.waitMs),
          agent: duration(totals.agentMs),
          steps: totals.steps,
        }),
      ),
    ),
    h(
      'ul',
      { class: 'businesses', 'data-testid': 'qa-businesses' },
      totals.businesses.map((b) =>
        h(
          'li',
          { class: 'business done', 'data-testid': 'qa-business', 'data-flow-id': b.flowId, 'data-outcome': b.outcome ?? '' },
          `${titles.get(b.flowId) ?? names.flow(b.flowId)} v${b.version}${b.outcome ? ` · ${label(b.outcome)}` : ''}`,
        ),
      ),
    ),
  );
}
