import type { CustomerProfile } from '../backend/customer';
import { advance, beginCall, type CallInput, type CallProgress, type CallView, renderView } from '../calls';
import type { LoggedEvent, StoredEvent } from '../decision-log/decision-log';
import { chainEvents } from '../decision-log/hash-chain';
import { fileFlows } from '../simulation/file-flows';

/** Test support for the QA specs: real calls on the real flow files and matrix, with a controllable clock. */
export const qaFlows = fileFlows(['enter-service', 'complaint', 'suspend-service', 'bill-inquiry', 'hang-up', 'sim-replacement']);
export const titles = (flowId: string) => qaFlows.at(flowId, '')?.definition.title ?? null;
export const viewOf = (progress: CallProgress): CallView => renderView(progress, 'en', qaFlows, [], titles);

export const customer = (over: Partial<CustomerProfile> = {}): CustomerProfile => ({
  msisdn: '13800000001',
  name: 'Emily Chen',
  brand: 'gotone',
  tier: 'gold',
  region: '北京',
  status: 'active',
  arrearsYuan: 0,
  realNameVerified: true,
  services: [],
  plan: { id: 'basic-58', name: 'Basic 58', monthlyYuan: 58 },
  points: 0,
  bills: [],
  handsetMode: '4G',
  openedWithIdCard: true,
  ...over,
});

export class ScriptedCall {
  private readonly logged: LoggedEvent[] = [];
  /** The events as the log stores them (hash-chained). */
  get events(): StoredEvent[] {
    return chainEvents(this.logged);
  }
  /** The call after each event, index-aligned with `events`. */
  progresses: CallProgress[] = [];
  private clock = Date.parse('2026-11-23T08:00:00Z');
  private gap = 1000;

  constructor(flowId: string, who = customer()) {
    this.push(beginCall(qaFlows.get(flowId), { callId: 'qa-1', agentId: 'a1', callerNumber: who.msisdn, customer: who, at: this.tick() }, qaFlows));
  }
  get progress() {
    return this.progresses.at(-1)!;
  }
  get step() {
    return this.progress.record.state;
  }
  /** The next event happens `ms` after the previous one. */
  after(ms: number) {
    this.gap = ms;
    return this;
  }
  /** A decision confirming every prompt on screen, as the real client does when the agent ticks them all. */
  decide(option: string, input?: Record<string, unknown>) {
    const prompts = viewOf(this.progress).step.prompts.map((p) => p.id);
    return this.raw({ option, ...(input ? { input } : {}), ...(prompts.length ? { confirmedPrompts: prompts } : {}) });
  }
  /** A decision exactly as given (e.g. a crafted client that sends no confirmedPrompts). */
  raw(payload: Record<string, unknown>) {
    return this.apply({ type: 'decision', payload, at: this.tick() });
  }
  reply(output: unknown, latencyMs = 30) {
    const op = this.progress.effects.find((e) => e.kind === 'operation');
    if (!op || op.kind !== 'operation') throw new Error(`no back-end step pending at ${this.step}`);
    return this.apply({
      type: 'backend.reply',
      payload: { operation: op.src, invokeId: op.invokeId, ok: true, output, latencyMs },
      at: this.tick(),
    });
  }
  hangup() {
    return this.apply({ type: 'call.hangup', payload: { by: 'agent' }, at: this.tick() });
  }
  private apply(input: CallInput) {
    this.push(advance(this.progress, input, qaFlows));
    return this;
  }
  private push({ event, progress }: { event: LoggedEvent; progress: CallProgress }) {
    this.logged.push(event);
    this.progresses.push(progress);
  }
  private tick() {
    this.clock += this.gap;
    this.gap = 1000;
    return new Date(this.clock).toISOString();
  }
}

/** Hotline: IVR screen pop, greeting, need, then the hub. */
export const toHub = (call = new ScriptedCall('enter-service')) => call.reply({ plan: {} }).decide('greeted').decide('identified', { need: 'suspend-resume' });

/** From the hub (or a direct start) through suspend-service to `upsell`, reason travel. */
export const suspendToUpsell = (call: ScriptedCall, direct = false) => {
  if (!direct) call.decide('another-business', { flowId: 'suspend-service' });
  return call.decide('continue').decide('continue', { reason: 'travel' }).decide('acknowledged');
};

/** From `execute` (verified) to the end of suspend-service: the suspension done, the reminder given, closed. */
export const suspendExecute = (call: ScriptedCall) => call.decide('execute').after(2500).reply({ ticketId: 'SR-1' }).decide('acknowledged').decide('submit');

/** From `upsell` (declined) to the end of suspend-service. */
export const suspendFinish = (call: ScriptedCall) => suspendExecute(call.decide('decline').decide('password').after(4000).reply({ ok: true }));

/** From the hub through the hang-up sub-blueprint to the end of the call. */
export const hangUp = (call: ScriptedCall) => call.decide('finish-call').decide('submit', { resolution: 'resolved' }).decide('goodbye').reply({ sent: true });
