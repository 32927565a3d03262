import type { CallView } from '../../../protocol/call-view.js';
import type { CallPopped, ClientEvent, ClientMessages, ServerFrame } from '../../../protocol/frames.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { locale, t } from '../app/i18n.js';
import { AppSocket, type ConnectionState, type RequestError } from '../net/socket.js';
import { CallerPanel } from './caller-panel.js';
import { ErrorBanner } from './error-banner.js';
import { KnowledgePanel } from './knowledge-panel.js';
import { renderBusinesses, renderProgress } from './progress.js';
import { recordRender } from './render-timing.js';
import { forgetSavedCall, loadSavedCall, noteView, type SavedCall, saveCall, visitedIn } from './saved-call.js';
import { stepKey } from './step-keys.js';
import { renderCallbackBanner, takePendingCallback } from '../worklist/callback.js';
import { renderStep, type RenderedStep } from './step-view.js';
import { loadSummary } from './summary.js';
import { flagForm } from '../redesign/flag-form.js';
import { redesignApi } from '../redesign/redesign-api.js';
import { rt } from '../redesign/redesign-words.js';

/** A view as the screen holds it: `receivedAt` (performance.now()) until it is first shown, for the render timing. */
type ArrivedView = CallView & { receivedAt?: number };

/** `call.start`, `call.decide`, `call.attach`, `call.hangup` (docs/PROTOCOL.md §3): each is answered by the call's view. */
type CallMessage = Extract<ClientEvent, `call.${string}`>;

/** The agent desktop: screen pop, choosing the business, and working the call step by step. */
export class CallScreen {
  private socket: AppSocket;
  private readonly caller: CallerPanel;
  private view?: ArrivedView;
  private saved: SavedCall | null = loadSavedCall();
  private step?: RenderedStep;
  private ticks = new Map<string, Set<string>>();
  /** The step the flag form is for: it is kept (with what was typed and said) while the call stays in that step. */
  private flagFor = '';
  private readonly banner = new ErrorBanner();
  private readonly knowledge: KnowledgePanel;
  private readonly el = {
    callback: h('div'),
    progress: h('div'),
    step: h('div', { class: 'step-area' }),
    summary: h('div'),
    flag: h('div'),
    hangup: h('button', { type: 'button', class: 'hangup', 'data-testid': 'hangup', hidden: true }),
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly session: Session,
    private readonly flows: FlowSummary[],
    private readonly setConnectionState: (state: ConnectionState) => void,
    /** Told of every view shown (the training page follows the scenario with it). */
    private readonly onView?: (view: CallView) => void,
  ) {
    this.socket = new AppSocket(session.token, locale(), {
      onPush: (frame, receivedAt) => this.onPush(frame, receivedAt),
      onState: (state) => this.onConnectionState(state),
      onOpen: (reconnected) => {
        if (reconnected) void this.reattach();
      },
      onUnauthorized: () => {
        sessionStorage.clear();
        location.reload();
      },
    });
    this.caller = new CallerPanel(session.token, flows, {
      callFlowId: () => this.view?.flow.id,
      callActive: () => this.view?.status === 'active',
      activeCallId: () => (this.view?.status === 'active' ? this.view.callId : undefined),
      onNewCustomer: () => {
        this.view = undefined;
        this.clearCallArea();
      },
      onChoose: (flowId) => void this.startCall(flowId),
    });
    this.knowledge = new KnowledgePanel(session.token);
    document.addEventListener('keydown', this.onKey);
  }

  async mount(): Promise<void> {
    this.el.hangup.textContent = t('hangUp');
    this.el.hangup.addEventListener('click', () => void this.hangup());
    this.root.replaceChildren(
      h(
        'div',
        { class: 'agent-screen', 'data-testid': 'call-screen' },
        this.caller.element,
        h('div', { class: 'work' }, this.banner.element, this.el.callback, this.el.progress, this.el.step, this.el.flag, this.el.summary, this.el.hangup),
        this.knowledge.element,
      ),
    );
    this.caller.renderPop(this.saved?.callerNumber);
    await this.socket.open();
    if (this.saved) {
      await this.caller.popCustomer(this.saved.callerNumber, false);
      await this.reattach();
    } else if (!(await this.makePendingCallback())) {
      this.caller.focusCaller();
    }
  }

  /** The worklist's "call back" (docs/FOLLOW-UP.md): the caller's card, then the outbound call on the item's flow. */
  private async makePendingCallback(): Promise<boolean> {
    const pending = takePendingCallback();
    if (!pending) return false;
    this.caller.renderPop(pending.callerNumber);
    try {
      await this.caller.popCustomer(pending.callerNumber, true);
    } catch (e) {
      this.banner.show(e as RequestError);
      return true;
    }
    await this.startCall(pending.flowId, pending.workItemId);
    return true;
  }

  unmount(): void {
    document.removeEventListener('keydown', this.onKey);
    this.step?.dispose();
    this.socket.close('closed by the screen');
  }

  switchLocale(): void {
    this.socket.switchLocale(locale());
    this.caller.renderPop(this.saved?.callerNumber);
    this.caller.renderCard();
    this.caller.renderChooser();
    this.el.hangup.textContent = t('hangUp');
    this.knowledge.renderWords();
    this.flagFor = '';
    if (this.view) this.renderFlag(this.view);
  }

  /** Test hook and the "network fault" drill: drop the socket as a failing network would. */
  dropConnection(): void {
    this.socket.drop();
  }

  /** A call message; its answer is the call's view, marked with when it arrived. */
  private async send<E extends CallMessage>(event: E, data: Omit<ClientMessages[E], 'requestId'>): Promise<ArrivedView> {
    const { data: view, receivedAt } = await this.socket.request(event, data);
    return { ...view, receivedAt };
  }

  private async startCall(flowId: string, workItemId?: number): Promise<void> {
    const callerNumber = this.caller.lookup?.customer.msisdn;
    if (!callerNumber) return;
    try {
      const view = await this.send('call.start', { callerNumber, flowId, ...(workItemId ? { workItemId } : {}) });
      this.saved = { callId: view.callId, callerNumber, flowId, offersSeen: [], visited: [] };
      saveCall(this.saved);
      this.show(view);
    } catch (e) {
      this.banner.show(e as RequestError);
    }
  }

  private async decide(option: string, input: Record<string, string> | undefined, confirmedPrompts: string[] | undefined): Promise<void> {
    const view = this.view;
    if (!view) return;
    try {
      this.show(
        await this.send('call.decide', {
          callId: view.callId,
          seq: view.seq,
          option,
          ...(input ? { input } : {}),
          ...(confirmedPrompts ? { confirmedPrompts } : {}),
        }),
      );
    } catch (e) {
      const error = e as RequestError;
      this.banner.show(error, (name) => this.view?.step.inputs.find((i) => i.name === name)?.label);
      if (['STALE_SEQ', 'OPTION_NOT_AVAILABLE', 'CALL_MOVED', 'NETWORK'].includes(error.code)) await this.reattach();
      else if (this.view) this.show(this.view, true);
    }
  }

  private async hangup(): Promise<void> {
    if (!this.view || this.view.status !== 'active') return;
    try {
      this.show(await this.send('call.hangup', { callId: this.view.callId }));
    } catch (e) {
      this.banner.show(e as RequestError);
    }
  }

  private async reattach(): Promise<void> {
    if (!this.saved || this.socket.state !== 'online') return;
    try {
      this.show(await this.send('call.attach', { callId: this.saved.callId }), true);
    } catch (e) {
      const error = e as RequestError;
      if (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN') this.forgetCall();
      if (error.code !== 'NETWORK') this.banner.show(error);
    }
  }

  /** A view the server pushed by itself (back-end reply, timeout) or sent for another tab's decision. */
  private onPush(frame: ServerFrame, receivedAt: number): void {
    // eslint-disable-next-line no-console -- an unsolicited error has no banner to go to; the console keeps it for support
    if (frame.event === 'call.error') return console.warn('call.error without a request', frame.data);
    // Several nodes: the call is driven elsewhere now; attaching again brings it back to this connection's node.
    if (frame.event === 'call.moved') {
      if (this.saved?.callId === frame.data.callId) void this.reattach();
      return;
    }
    if (frame.event === 'call.popped') return void this.popped(frame.data, receivedAt);
    if (frame.event !== 'call.view') return;
    const view = frame.data;
    if (this.saved?.callId !== view.callId) return;
    if (this.view && view.seq < this.view.seq) return;
    // Pushes leave the caller's profile out: one for a call this screen has no view of yet is fetched whole.
    if (this.view?.callId !== view.callId) return void this.reattach();
    this.show({ ...view, receivedAt });
  }

  /**
   * Screen pop (docs/CTI.md): the telephony system put a caller through and the server started the
   * call on the business the IVR suggested; the caller's card and the call take the screen, as if the
   * agent had typed the number and chosen the business.
   */
  private async popped(pop: CallPopped, receivedAt: number): Promise<void> {
    this.saved = { callId: pop.view.callId, callerNumber: pop.callerNumber, flowId: pop.view.flow.id, offersSeen: [], visited: [] };
    saveCall(this.saved);
    this.caller.ivrPath = pop.ivrPath;
    this.caller.renderPop(pop.callerNumber);
    this.show({ ...pop.view, receivedAt });
    try {
      await this.caller.popCustomer(pop.callerNumber, false);
    } catch (e) {
      this.banner.show(e as RequestError);
    }
  }

  private show(view: ArrivedView, keepBanner = false): void {
    if (!keepBanner) this.banner.hide();
    // The profile comes with a call's first view only (docs/PROTOCOL.md §4): later views keep it.
    if (!view.customer && this.view?.callId === view.callId) view.customer = this.view.customer;
    const same = this.view?.callId === view.callId && this.view.seq === view.seq;
    this.view = view;
    if (this.saved) noteView(this.saved, view);
    const flow = this.flows.find((f) => f.id === view.flow.id);
    this.caller.renderChooser();
    this.caller.renderCard();
    this.el.callback.replaceChildren(view.callback ? renderCallbackBanner(view.callback) : '');
    this.el.progress.replaceChildren(renderBusinesses(view), renderProgress(flow, view, visitedIn(this.saved, view.flow.id)));
    this.step?.dispose();
    const key = `${view.callId}:${view.seq}`;
    if (!this.ticks.has(key)) this.ticks.set(key, new Set());
    this.step = renderStep(view, {
      ticked: this.ticks.get(key)!,
      online: this.socket.state === 'online',
      onDecide: (option, input, prompts) => void this.decide(option, input, prompts),
    });
    this.el.step.replaceChildren(this.step.element);
    void this.knowledge.showStep(view);
    this.el.hangup.hidden = view.status !== 'active';
    this.renderFlag(view);
    this.onView?.(view);
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

  /**
   * "This step does not fit" (docs/REDESIGN.md): agents flag the step of their live call; the flag is
   * a call event, so the server pushes the call's next view (same step). Not between businesses, and
   * not on the training page (its calls are no evidence about the live flows).
   */
  private renderFlag(view: CallView): void {
    const flaggable = this.session.role === 'agent' && !this.onView && view.status === 'active' && !view.betweenBusinesses;
    const key = flaggable ? `${view.callId}:${view.flow.id}:${view.step.id}` : '';
    if (key === this.flagFor) return;
    this.flagFor = key;
    this.el.flag.replaceChildren(
      ...(flaggable ? [flagForm('flag-step', rt('flagStep'), (reason, text) => redesignApi.agentFlag(this.session.token, view.callId, reason, text))] : []),
    );
  }

  private async showSummary(view: CallView): Promise<void> {
    const summary = await loadSummary(this.session.token, view, this.saved?.offersSeen ?? [], () => this.nextCall());
    this.el.summary.replaceChildren(summary);
    summary.querySelector<HTMLButtonElement>('[data-testid=next-call]')?.focus();
  }

  private nextCall(): void {
    this.forgetCall();
    this.view = undefined;
    this.clearCallArea();
    this.caller.reset();
  }

  private clearCallArea(): void {
    this.step?.dispose();
    this.step = undefined;
    this.el.callback.replaceChildren();
    this.el.progress.replaceChildren();
    this.el.step.replaceChildren();
    this.el.summary.replaceChildren();
    this.el.flag.replaceChildren();
    this.flagFor = '';
    this.el.hangup.hidden = true;
    this.banner.hide();
    void this.knowledge.showStep(undefined);
  }

  private forgetCall(): void {
    this.saved = null;
    forgetSavedCall();
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

  private readonly onKey = (e: KeyboardEvent): void => {
    if (this.view?.status === 'active' && this.step) stepKey(e, this.step, this.el.step);
  };
}
