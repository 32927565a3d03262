/**
 * QA data made the way agents make it: calls worked over the real WebSocket API (for
 * test/e2e/qa.e2e-spec.ts and the QA review browser test), including one whose warn decision leaves
 * out the care prompts (a crafted client — the server records what it is sent, the checks find it).
 */
import type { CallDriver } from './flow';
import type { ServerFixture } from './use-server';

export { SUSPEND_STEPS } from './flow';
export const WARN_PROMPTS = ['effective-immediately', 'plan-fee-charged', 'how-to-resume'];

export class QaCalls {
  /** The agents' WebSockets are the server fixture's (closed by it). */
  constructor(private readonly server: ServerFixture) {}

  private driver(user: string): Promise<CallDriver> {
    return this.server.driver(user, 'en');
  }

  /** A decision confirming the prompts on screen (as the real screen does), unless told to skip them. */
  private decide(d: CallDriver, option: string, input?: Record<string, unknown>, opts: { skipPrompts?: boolean; expect?: string } = {}) {
    return d.decideConfirming(option, input, opts);
  }

  /** The suspend main path; `skipPrompts`: the warn decision confirms none of its prompts. */
  async suspend(user: string, msisdn: string, skipPrompts = false): Promise<string> {
    const d = await this.driver(user);
    await d.start(msisdn);
    await this.decide(d, 'continue', undefined, { expect: 'confirm-reason' });
    await this.decide(d, 'continue', { reason: 'travel' }, { expect: 'warn' });
    await this.decide(d, 'acknowledged', undefined, { skipPrompts, expect: 'upsell' });
    await this.decide(d, 'decline', undefined, { expect: 'verify' });
    await this.decide(d, 'password', undefined, { expect: 'checking-password' });
    await d.pushed('execute');
    await this.decide(d, 'execute', undefined, { expect: 'executing' });
    await d.pushed('remind');
    await this.decide(d, 'acknowledged', undefined, { expect: 'close' });
    await this.decide(d, 'submit', undefined, { expect: 'completed' });
    return d.callId;
  }

  /** A hotline call: greeting → bill inquiry → hang-up (closing words, SMS). */
  async hotlineBillInquiry(user: string, msisdn: string): Promise<string> {
    const h = await this.driver(user);
    await h.start(msisdn, 'enter-service');
    await h.pushed('greeting');
    await this.decide(h, 'greeted', undefined, { expect: 'ask-need' });
    await this.decide(h, 'identified', { need: 'bill' }, { expect: 'need-identified' });
    await this.decide(h, 'another-business', { flowId: 'bill-inquiry' }, { expect: 'query-bills' });
    await h.pushed('explain-bill');
    await this.decide(h, 'explained', undefined, { expect: 'next-need' });
    await this.decide(h, 'done', undefined, { expect: 'close' });
    await this.decide(h, 'submit', undefined, { expect: 'completed' });
    await this.decide(h, 'finish-call', undefined, { expect: 'service-request' });
    await this.decide(h, 'submit', { resolution: 'resolved' }, { expect: 'closing' });
    await this.decide(h, 'goodbye', undefined, { expect: 'sending-sms' });
    await h.pushed('closed');
    return h.callId;
  }
}
