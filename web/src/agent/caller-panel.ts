import type { CustomerLookup } from '../../../protocol/customers.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import { api } from '../app/api.js';
import { h } from '../app/dom.js';
import { renderCustomerCard } from './customer-card.js';
import { matchFlows, renderFlowChooser } from './flow-chooser.js';
import { renderPopForm } from './pop-form.js';
import { QuickAnswersPanel } from './quick-answers-panel.js';

/** What the caller panel needs to know of the call on screen. */
export interface CallerPanelHost {
  /** The business of the call on screen, if any: its rules are badged, and no business is chosen meanwhile. */
  callFlowId(): string | undefined;
  /** A call in progress: popping another customer waits until it has ended. */
  callActive(): boolean;
  /** The call in progress on screen (quick answers told are logged with it). */
  activeCallId(): string | undefined;
  /** Another customer was popped: the ended call leaves the screen. */
  onNewCustomer(): void;
  onChoose(flowId: string): void;
}

/** The call screen's left side: the screen pop (who is calling), the customer card and choosing the business. */
export class CallerPanel {
  lookup?: CustomerLookup;
  /** The IVR menus the caller keyed, when the telephony system put them through (screen pop by CTI). */
  ivrPath?: string[];
  private query = '';
  private readonly pop = h('div', { class: 'pop-area' });
  private readonly card = h('div');
  private readonly chooser = h('div');
  private readonly quick: QuickAnswersPanel;
  readonly element: HTMLElement;

  constructor(
    private readonly token: string,
    private readonly flows: FlowSummary[],
    private readonly host: CallerPanelHost,
  ) {
    this.quick = new QuickAnswersPanel(token, () => host.activeCallId());
    this.element = h('aside', { class: 'left' }, this.pop, this.card, this.quick.element, this.chooser);
  }

  renderPop(callerNumber = this.lookup?.customer.msisdn ?? ''): void {
    this.pop.replaceChildren(
      renderPopForm(
        callerNumber,
        async (msisdn) => {
          if (this.host.callActive()) return;
          this.ivrPath = undefined;
          await this.popCustomer(msisdn, true);
          this.focusSearch();
        },
        this.ivrPath,
      ),
    );
  }

  /** Looks the caller up; `reset`: a new caller, whatever call was on screen leaves it. */
  async popCustomer(msisdn: string, reset: boolean): Promise<void> {
    this.lookup = await api.customer(this.token, msisdn);
    if (reset) this.host.onNewCustomer();
    this.renderCard();
    this.renderChooser();
    void this.quick.load(msisdn);
  }

  renderCard(): void {
    const flowId = this.host.callFlowId() ?? matchFlows(this.flows, this.query)[0]?.id;
    this.card.replaceChildren(this.lookup ? renderCustomerCard(this.lookup, flowId) : '');
    this.quick.render();
  }

  /** The business chooser, while a customer is popped and no call is on screen. */
  renderChooser(): void {
    if (!this.lookup || this.host.callFlowId() !== undefined) {
      this.chooser.replaceChildren();
      return;
    }
    this.chooser.replaceChildren(
      renderFlowChooser(
        this.flows,
        this.query,
        (q) => {
          this.query = q;
          this.renderChooser();
          this.renderCard();
          this.focusSearch();
        },
        (flowId) => this.host.onChoose(flowId),
      ),
    );
  }

  /** The next call: nobody popped, an empty number. */
  reset(): void {
    this.lookup = undefined;
    this.ivrPath = undefined;
    this.query = '';
    this.card.replaceChildren();
    this.quick.clear();
    this.chooser.replaceChildren();
    this.renderPop();
    this.focusCaller();
  }

  focusCaller(): void {
    this.pop.querySelector<HTMLInputElement>('[data-testid=caller-number]')?.focus();
  }

  private focusSearch(): void {
    const search = this.chooser.querySelector<HTMLInputElement>('[data-testid=flow-search]');
    if (search) {
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }
}
