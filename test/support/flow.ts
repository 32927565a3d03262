import { asView, describeFrame, summarise, type ViewFrame } from './frames';
import { drive, waitForStep, type WsClient } from './ws-client';

export const FLOW_ID = 'suspend-service';
/** suspend-service's main path, step by step (offers declined, password verified, the suspension done). */
export const SUSPEND_STEPS = [
  'check-eligibility',
  'confirm-reason',
  'warn',
  'upsell',
  'verify',
  'checking-password',
  'execute',
  'executing',
  'remind',
  'close',
  'completed',
];

/** Fail with the whole view when it is not at the expected step. */
export function expectStep(view: ViewFrame, stepId: string, context = ''): ViewFrame {
  if (view.data?.step?.id !== stepId) {
    throw new Error(`${context ? `${context}: ` : ''}expected step '${stepId}', got ${describeFrame(view)}`);
  }
  return view;
}

export function promptIds(view: ViewFrame): string[] {
  return (view.data.step.prompts ?? []).map((p: any) => (typeof p === 'string' ? p : p?.id));
}

export function offerIds(view: ViewFrame): string[] {
  return (view.data.step.offers ?? []).map((o: any) => o?.id);
}

/** Depth-first search for an object whose `id` is id (for rule checks nested in step.rules). */
export function findById(node: unknown, id: string): any {
  if (Array.isArray(node)) {
    for (const x of node) {
      const hit = findById(x, id);
      if (hit) return hit;
    }
    return undefined;
  }
  if (node && typeof node === 'object') {
    if ((node as any).id === id) return node;
    for (const v of Object.values(node)) {
      const hit = findById(v, id);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Drives one call over a WsClient and records every view it sees (replies and pushes),
 * so tests can check that seq goes up by exactly one per view.
 */
export class CallDriver {
  readonly views: ViewFrame[] = [];

  constructor(
    readonly client: WsClient,
    initial?: ViewFrame,
  ) {
    if (initial) this.views.push(initial);
  }

  get view(): ViewFrame {
    const v = this.views[this.views.length - 1];
    if (!v) throw new Error('no view yet: start or attach a call first');
    return v;
  }

  get callId(): string {
    return this.view.data.callId;
  }

  get seq(): number {
    return this.view.data.seq;
  }

  /** call.start (`extra`: e.g. the callback's workItemId); returns the first view. */
  async start(callerNumber: string, flowId = FLOW_ID, extra: Record<string, unknown> = {}): Promise<ViewFrame> {
    const reply = await this.client.request('call.start', { callerNumber, flowId, ...extra });
    const v = asView(reply, `call.start ${callerNumber}`);
    this.views.push(v);
    return v;
  }

  /** call.attach to an existing call; returns its current view. */
  async attach(callId: string): Promise<ViewFrame> {
    const reply = await this.client.request('call.attach', { callId });
    const v = asView(reply, `call.attach ${callId}`);
    this.views.push(v);
    return v;
  }

  /** call.decide at the current view; optionally checks the resulting step. */
  async decide(option: string, input?: Record<string, unknown>, expectStepId?: string): Promise<ViewFrame> {
    const v = await drive(this.client, this.view, option, input);
    if (expectStepId) expectStep(v, expectStepId, `after '${option}' at '${this.view.data.step.id}'`);
    this.views.push(v);
    return v;
  }

  /**
   * call.decide confirming every care prompt the view shows, as the real screen does (unless
   * `skipPrompts`: a crafted client); fails unless the reply is a view (at `expect`, if given).
   */
  async decideConfirming(option: string, input?: Record<string, unknown>, opts: { skipPrompts?: boolean; expect?: string } = {}): Promise<ViewFrame> {
    const prompts = (this.view.data.step.prompts ?? []).map((p: any) => p.id);
    const reply: any = await this.client.request('call.decide', {
      callId: this.callId,
      seq: this.seq,
      option,
      ...(input ? { input } : {}),
      ...(prompts.length && !opts.skipPrompts ? { confirmedPrompts: prompts } : {}),
    });
    if (reply.event !== 'call.view') throw new Error(`decide ${option}: ${JSON.stringify(reply.data)}`);
    this.views.push(reply);
    if (opts.expect && reply.data.step.id !== opts.expect) throw new Error(`expected ${opts.expect}, got ${reply.data.step.id}`);
    return reply;
  }

  /** Wait for the server to push this call to stepId. */
  async pushed(stepId: string, timeoutMs = 5000): Promise<ViewFrame> {
    const v = await waitForStep(this.client, stepId, { callId: this.callId, timeoutMs });
    this.views.push(v);
    return v;
  }

  /** check-eligibility → confirm-reason → warn → upsell. */
  async toUpsell(reason = 'travel'): Promise<ViewFrame> {
    expectStep(this.view, 'check-eligibility');
    await this.decide('continue', undefined, 'confirm-reason');
    await this.decide('continue', { reason }, 'warn');
    return this.decide('acknowledged', undefined, 'upsell');
  }

  /** … upsell → decline → verify. */
  async toVerify(reason = 'travel'): Promise<ViewFrame> {
    await this.toUpsell(reason);
    return this.decide('decline', undefined, 'verify');
  }

  /** verify → password → checking-password → (pushed) execute. */
  async verifyByPassword(): Promise<ViewFrame> {
    await this.decide('password', undefined, 'checking-password');
    return this.pushed('execute');
  }

  /** execute → executing → (pushed) remind. */
  async executeToRemind(): Promise<ViewFrame> {
    await this.decide('execute', undefined, 'executing');
    return this.pushed('remind');
  }

  /** remind → close → completed. */
  async finishFromRemind(): Promise<ViewFrame> {
    await this.decide('acknowledged', undefined, 'close');
    const v = await this.decide('submit', undefined, 'completed');
    expect(v.data.status).toBe('completed');
    expect(v.data.outcome).toBe('completed');
    return v;
  }

  /** A whole suspension from call.start to completed: the IVR check and the suspension both answer. */
  async suspendFully(callerNumber: string): Promise<ViewFrame> {
    await this.start(callerNumber);
    await this.toVerify();
    await this.verifyByPassword();
    await this.executeToRemind();
    return this.finishFromRemind();
  }

  /** From call.start to a suspension the back end does not carry out: executing → (pushed) execute-failed. */
  async suspensionFails(callerNumber: string): Promise<ViewFrame> {
    await this.start(callerNumber);
    await this.toVerify();
    await this.verifyByPassword();
    await this.decide('execute', undefined, 'executing');
    return this.pushed('execute-failed');
  }

  /** The seq of consecutive views goes up by exactly 1. */
  expectConsecutiveSeq(): void {
    const seqs = this.views.map((v) => v.data.seq);
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i] !== seqs[i - 1] + 1) {
        throw new Error(`view seq did not go up by exactly 1 at view #${i}: seqs ${JSON.stringify(seqs)}; views ` + JSON.stringify(this.views.map(summarise)));
      }
    }
  }
}

/**
 * `count` whole suspend-service calls, 8 at a time over the agents' sockets in turn; `afterRound`
 * runs after each round of 8. Returns the calls' ids.
 */
export async function suspendCallsInRounds(agents: WsClient[], count: number, afterRound?: () => void): Promise<string[]> {
  const callIds: string[] = [];
  for (let i = 0; i < count; i += 8) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        const driver = new CallDriver(agents[k % agents.length]);
        await driver.suspendFully('13800000001');
        callIds.push(driver.callId);
      }),
    );
    afterRound?.();
  }
  return callIds;
}
