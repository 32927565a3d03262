import { api, type Session } from './api.js';
import { CallConnection, type ConnectionState } from './connection.js';
import { renderCustomerCard } from './customer-card.js';
import { h } from './dom.js';
import { matchFlows, renderFlowChooser } from './flow-chooser.js';
import { errorText, locale, t } from './i18n.js';
import { recordRender } from './metrics.js';
import { renderBusinesses, renderProgress } from './progress.js';
import type { CallError, CallView, CustomerLookup, FlowSummary } from './protocol.js';
import { renderStep, type RenderedStep } from './step-view.js';
import { type OfferSeen, renderSummary } from './summary.js';

interface SavedCall {
  callId: string;
  callerNumber: string;
  flowId: string;
  offersSeen: OfferSeen[];
  visited: string[];
}

const CALL_KEY = 'laihua.call';

/** The agent desktop: screen pop, choosing the business, and working the call step by step. */
export class CallScreen {
  private connection: CallConnection;
  private lookup?: CustomerLookup;
  private query = '';
  private view?: CallView;
  private saved: SavedCall | null = JSON.parse(sessionStorage.getItem(CALL_KEY) ?? 'null');
  private step?: RenderedStep;
  private ticks = new Map<string, Set<string>>();
  private readonly el = {
    pop: h('div', { class: 'pop-area' }),
    card: h('div'),
    chooser: h('div'),
    banner: h('div', { class: 'banner', 'data-testid': 'error', role: 'alert', hidden: true }),
    progress: h('div'),
    step: h('div', { class: 'step-area' }),
    summary: h('div'),
    hangup: h('button', { type: 'button', class: 'hangup', 'data-testid': 'hangup', hidden: true }),
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly session: Session,
    private readonly flows: FlowSummary[],
    private readonly setConnectionState: (state: ConnectionState) => void,
  ) {
    this.connection = new CallConnection(session.token, locale(), {
      onView: (view) => this.onView(view),
      onState: (state) => this.onConnectionState(state),
      onReconnected: () => void this.reattach(),
      onUnauthorized: () => {
        sessionStorage.clear();
        location.reload();
      },
    });
    document.addEventListener('keydown', this.onKey);
  }

  async mount(): Promise<void> {
    this.el.hangup.textContent = t('hangUp');
    this.el.hangup.addEventListener('click', () => void this.hangup());
    this.root.replaceChildren(
      h(
        'div',
        { class: 'agent-screen', 'data-testid': 'call-screen' },
        h('aside', { class: 'left' }, this.el.pop, this.el.card, this.el.chooser),
        h('main', { class: 'work' }, this.el.banner, this.el.progress, this.el.step, this.el.summary, this.el.hangup),
      ),
    );
    this.renderPop();
    await this.connection.open();
    if (this.saved) {
      await this.popCustomer(this.saved.callerNumber, false);
      await this.reattach();
    } else {
      this.focusCaller();
    }
  }

  unmount(): void {
    document.removeEventListener('keydown', this.onKey);
    this.step?.dispose();
    this.connection.close();
  }

  switchLocale(): void {
    this.connection.switchLocale(locale());
    this.renderPop();
    this.renderCard();
    if (!this.view) this.renderChooser();
    this.el.hangup.textContent = t('hangUp');
  }

  /** Test hook and the "network fault" drill: drop the socket as a failing network would. */
  dropConnection(): void {
    this.connection.drop();
  }

  private renderPop(): void {
    const input = h('input', {
      'data-testid': 'caller-number',
      name: 'callerNumber',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: t('popHint'),
      value: this.saved?.callerNumber ?? this.lookup?.customer.msisdn ?? '',
    });
    const error = h('p', { class: 'error-text', 'data-testid': 'pop-error', hidden: true });
    const form = h(
      'form',
      {
        class: 'card pop',
        'data-testid': 'pop-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          error.hidden = true;
          if (this.view?.status === 'active') return;
          const ok = await this.popCustomer(input.value.trim(), true).catch((err) => {
            error.textContent = err?.code === 'NOT_FOUND' ? t('notFound') : errorText(err?.code ?? 'INTERNAL');
            error.hidden = false;
            return false;
          });
          if (ok) this.focusSearch();
        },
      },
      h('label', {}, t('callerNumber'), input),
      h('button', { type: 'submit', 'data-testid': 'pop-customer' }, t('pop')),
      error,
    );
    this.el.pop.replaceChildren(form);
  }

  private async popCustomer(msisdn: string, reset: boolean): Promise<boolean> {
    this.lookup = await api.customer(this.session.token, msisdn);
    if (reset) {
      this.view = undefined;
      this.clearCallArea();
    }
    this.renderCard();
    if (!this.view) this.renderChooser();
    return true;
  }

  private renderCard(): void {
    const flowId = this.view?.flow.id ?? matchFlows(this.flows, this.query)[0]?.id;
    this.el.card.replaceChildren(this.lookup ? renderCustomerCard(this.lookup, flowId) : '');
  }

  private renderChooser(): void {
    if (!this.lookup || this.view) {
      this.el.chooser.replaceChildren();
      return;
    }
    this.el.chooser.replaceChildren(
      renderFlowChooser(
        this.flows,
        this.query,
        (q) => {
          this.query = q;
          this.renderChooser();
          this.renderCard();
          this.focusSearch();
        },
        (flowId) => void this.startCall(flowId),
      ),
    );
  }

  private async startCall(flowId: string): Promise<void> {
    if (!this.lookup) return;
    try {
      const view = await this.connection.request('call.start', { callerNumber: this.lookup.customer.msisdn, flowId });
      this.saved = { callId: view.callId, callerNumber: this.lookup.customer.msisdn, flowId, offersSeen: [], visited: [] };
      this.persist();
      this.show(view);
    } catch (e) {
      this.showError(e as CallError);
    }
  }

  private async decide(option: string, input: Record<string, string> | undefined, confirmedPrompts: string[] | undefined): Promise<void> {
    const view = this.view;
    if (!view) return;
    try {
      const next = await this.connection.request('call.decide', {
        callId: view.callId,
        seq: view.seq,
        option,
        ...(input ? { input } : {}),
        ...(confirmedPrompts ? { confirmedPrompts } : {}),
      });
      this.show(next);
    } catch (e) {
      const error = e as CallError;
      this.showError(error);
      if (error.code === 'STALE_SEQ' || error.code === 'OPTION_NOT_AVAILABLE' || error.code === 'NETWORK') await this.reattach();
      else if (this.view) this.show(this.view, true);
    }
  }

  private async hangup(): Promise<void> {
    if (!this.view || this.view.status !== 'active') return;
    try {
      this.show(await this.connection.request('call.hangup', { callId: this.view.callId }));
    } catch (e) {
      this.showError(e as CallError);
    }
  }

  private async reattach(): Promise<void> {
    if (!this.saved || this.connection.state !== 'online') return;
    try {
      this.show(await this.connection.request('call.attach', { callId: this.saved.callId }), true);
    } catch (e) {
      const error = e as CallError;
      if (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN') this.forgetCall();
      if (error.code !== 'NETWORK') this.showError(error);
    }
  }

  private onView(view: CallView): void {
    if (this.saved?.callId !== view.callId) return;
    if (this.view && view.seq < this.view.seq) return;
    this.show(view);
  }

  private show(view: CallView, keepBanner = false): void {
    if (!keepBanner) this.hideBanner();
    const same = this.view?.callId === view.callId && this.view.seq === view.seq;
    this.view = view;
    if (this.saved) {
      const visitedKey = `${view.flow.id}/${view.step.id}`;
      if (!this.saved.visited.includes(visitedKey)) this.saved.visited.push(visitedKey);
      for (const offer of view.step.offers ?? [])
        if (!this.saved.offersSeen.some((o) => o.id === offer.id)) this.saved.offersSeen.push({ id: offer.id, title: offer.title });
      this.persist();
    }
    const flow = this.flows.find((f) => f.id === view.flow.id);
    this.el.chooser.replaceChildren();
    this.renderCard();
    const visited = new Set((this.saved?.visited ?? []).filter((k) => k.startsWith(`${view.flow.id}/`)).map((k) => k.slice(view.flow.id.length + 1)));
    this.el.progress.replaceChildren(renderBusinesses(view), renderProgress(flow, view, visited));
    this.step?.dispose();
    const key = `${view.callId}:${view.seq}`;
    if (!this.ticks.has(key)) this.ticks.set(key, new Set());
    this.step = renderStep(view, {
      ticked: this.ticks.get(key)!,
      online: this.connection.state === 'online',
      onDecide: (option, input, prompts) => void this.decide(option, input, prompts),
    });
    this.el.step.replaceChildren(this.step.element);
    this.el.hangup.hidden = view.status !== 'active';
    if (view.receivedAt !== undefined) {
      recordRender(view.step.id, view.receivedAt);
      delete view.receivedAt; // a re-show of the same view (reconnect, locale) is not a new arrival
    }
    if (view.status === 'active') {
      this.el.summary.replaceChildren();
      if (!same || !this.root.contains(document.activeElement) || document.activeElement === document.body) this.step.focusFirst();
    } else {
      void this.showSummary(view);
    }
  }

  private async showSummary(view: CallView): Promise<void> {
    const call = await api.call(this.session.token, view.callId);
    const ids = [...new Set(call.events.flatMap((e) => [e.flowId, e.flowIdAfter ?? e.flowId]))];
    const flows = new Map(await Promise.all(ids.map(async (id) => [id, await api.flow(this.session.token, id)] as const)));
    const summary = renderSummary(call, flows, this.saved?.offersSeen ?? [], () => this.nextCall(), view.businesses);
    this.el.summary.replaceChildren(summary);
    summary.querySelector<HTMLButtonElement>('[data-testid=next-call]')?.focus();
  }

  private nextCall(): void {
    this.forgetCall();
    this.lookup = undefined;
    this.view = undefined;
    this.query = '';
    this.clearCallArea();
    this.el.card.replaceChildren();
    this.el.chooser.replaceChildren();
    this.renderPop();
    this.focusCaller();
  }

  private clearCallArea(): void {
    this.step?.dispose();
    this.step = undefined;
    this.el.progress.replaceChildren();
    this.el.step.replaceChildren();
    this.el.summary.replaceChildren();
    this.el.hangup.hidden = true;
    this.hideBanner();
  }

  private forgetCall(): void {
    this.saved = null;
    sessionStorage.removeItem(CALL_KEY);
  }

  private persist(): void {
    if (this.saved) sessionStorage.setItem(CALL_KEY, JSON.stringify(this.saved));
  }

  private onConnectionState(state: ConnectionState): void {
    this.setConnectionState(state);
    if (this.view && this.view.status === 'active' && this.step) {
      const online = state === 'online';
      this.step.element.querySelectorAll<HTMLButtonElement>('[data-testid=option]').forEach((b) => {
        if (!online) b.disabled = true;
      });
      if (online) this.show(this.view, true);
    }
  }

  private showError(error: CallError): void {
    const details = Array.isArray(error.details) ? error.details.map((d) => `${d.field}: ${d.problems.join('; ')}`).join(' · ') : '';
    this.el.banner.replaceChildren(h('strong', {}, errorText(error.code)), details ? h('span', { class: 'details' }, ` ${details}`) : '');
    this.el.banner.dataset.code = error.code;
    this.el.banner.hidden = false;
  }

  private hideBanner(): void {
    this.el.banner.hidden = true;
    delete this.el.banner.dataset.code;
  }

  private focusCaller(): void {
    this.el.pop.querySelector<HTMLInputElement>('[data-testid=caller-number]')?.focus();
  }

  private focusSearch(): void {
    const search = this.el.chooser.querySelector<HTMLInputElement>('[data-testid=flow-search]');
    if (search) {
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const target = e.target as HTMLElement | null;
    const inStep = Boolean(target && this.el.step.contains(target)) || target === document.body;
    if (!this.view || this.view.status !== 'active' || !this.step || !inStep) return;
    const typing = target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'search' || target.type === 'password');
    if (/^[1-9]$/.test(e.key) && !typing) {
      e.preventDefault();
      this.step.press(Number(e.key));
    } else if (e.key === 'Enter' && !(target instanceof HTMLButtonElement)) {
      e.preventDefault();
      this.step.pressDefault(target);
    }
  };
}
