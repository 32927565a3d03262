/**
 * Calls with known outcomes for the dashboards, worked over the real WebSocket API the way
 * test/e2e/metrics.e2e-spec.ts works them (simulator customers chosen to reach each outcome; decisions
 * confirm the care prompts shown, as the real screen does), and a second version of suspend-service
 * without the upsell step published through the authoring API (for the version comparison).
 */
import { http } from './http';
import type { CallDriver } from './flow';
import { until } from './poll';
import type { ServerFixture } from './use-server';

export const SUSPEND = 'suspend-service';

/** The dashboards' browser suites: the users dashboardCalls() needs; a slower back end makes the W steps the hot ones on the heat map. */
export const DASHBOARD_SUITE = { env: { SIM_LATENCY_MS: '250' }, users: ['agent1', 'agent2', 'supervisor1', 'supervisor2', 'qa1'] };

/** The demo customers' ID digits (src/backend/simulator/demo-customers.json), for the replacement SIM's check. */
const ID_LAST4: Record<string, string> = { '13800000001': '1234', '13800000004': '4444' };

export class MetricsCalls {
  /** Offer ids shown at upsell, per call id (what the agent saw). */
  readonly shown = new Map<string, string[]>();

  /** The agents' WebSockets are the server fixture's (closed by it). */
  constructor(private readonly server: ServerFixture) {}

  /** GET as supervisor1: the JSON body, or the text of a CSV export; anything but 200 throws. */
  async supervisorGet(p: string): Promise<any> {
    const res = await http(this.server.baseUrl, 'GET', p, { token: await this.server.token('supervisor1') });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
    return p.includes('format=csv') ? res.text : res.body;
  }

  private driver(user: string): Promise<CallDriver> {
    return this.server.driver(user, 'en');
  }

  private decide(d: CallDriver, option: string, input?: Record<string, unknown>, expect?: string) {
    return d.decideConfirming(option, input, { expect });
  }

  /** check-eligibility → … → verify (v1 declines the upsell; v2 has none). */
  private async toVerify(d: CallDriver, msisdn: string, v2 = false) {
    await d.start(msisdn);
    await this.decide(d, 'continue', undefined, 'confirm-reason');
    await this.decide(d, 'continue', { reason: 'travel' }, 'warn');
    if (v2) return this.decide(d, 'acknowledged', undefined, 'verify');
    await this.upsell(d);
    return this.decide(d, 'decline', undefined, 'verify');
  }

  private async upsell(d: CallDriver) {
    const view = await this.decide(d, 'acknowledged', undefined, 'upsell');
    this.shown.set(
      d.callId,
      (view.data.step.offers ?? []).map((o: { id: string }) => o.id),
    );
  }

  private async toExecuting(d: CallDriver) {
    await this.decide(d, 'password', undefined, 'checking-password');
    await d.pushed('execute');
    await this.decide(d, 'execute', undefined, 'executing');
  }

  private async closeFromExecuting(d: CallDriver) {
    await d.pushed('remind');
    await this.decide(d, 'acknowledged', undefined, 'close');
    await this.decide(d, 'submit', undefined, 'completed');
  }

  /** The main path to completed (offers declined). */
  async completed(user: string, msisdn: string, v2 = false): Promise<string> {
    const d = await this.driver(user);
    await this.toVerify(d, msisdn, v2);
    await this.toExecuting(d);
    await this.closeFromExecuting(d);
    return d.callId;
  }

  /** Arrears: ended as not eligible at the first step. */
  async notEligible(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await d.start(msisdn);
    await this.decide(d, 'end-not-eligible', undefined, 'not-eligible');
    return d.callId;
  }

  /** The suspension fails once (F at execute-failed), the retry succeeds. */
  async failedThenRetried(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await this.toVerify(d, msisdn);
    await this.toExecuting(d);
    await d.pushed('execute-failed');
    await this.decide(d, 'retry', undefined, 'executing');
    await this.closeFromExecuting(d);
    return d.callId;
  }

  /** The back end is down: a ticket is raised. */
  async ticketRaised(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await this.toVerify(d, msisdn);
    await this.toExecuting(d);
    await d.pushed('execute-failed');
    await this.decide(d, 'raise-ticket', undefined, 'raising-ticket');
    await d.pushed('execution-failed');
    return d.callId;
  }

  /** The IVR password fails three times: verification locked. */
  async locked(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await this.toVerify(d, msisdn);
    for (const next of ['verify', 'verify', 'verification-locked']) {
      await this.decide(d, 'password', undefined, 'checking-password');
      await d.pushed(next);
    }
    return d.callId;
  }

  /** The caller hangs up at confirm-reason (a drop-off there). */
  async abandoned(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await d.start(msisdn);
    await this.decide(d, 'continue', undefined, 'confirm-reason');
    await d.client.request('call.hangup', { callId: d.callId });
    return d.callId;
  }

  /**
   * The customer accepts the replacement SIM at upsell (the suspension converted); the call moves on
   * into sim-replacement, where the ID check passes and the new SIM is collected at a shop.
   */
  async acceptedOffer(user: string, msisdn: string): Promise<string> {
    const d = await this.driver(user);
    await d.start(msisdn);
    await this.decide(d, 'continue', undefined, 'confirm-reason');
    await this.decide(d, 'continue', { reason: 'lost-phone' }, 'warn');
    await this.upsell(d);
    const next = await this.decide(d, 'accept', { offerId: 'replacement-sim' }, 'check-eligibility');
    if (next.data.flow.id !== 'sim-replacement') throw new Error(`accepted offer moved to ${next.data.flow.id}`);
    await this.decide(d, 'continue', undefined, 'warn');
    await this.decide(d, 'acknowledged', undefined, 'verify-document');
    await this.decide(d, 'id-document', { idLast4: ID_LAST4[msisdn] }, 'checking-document');
    await d.pushed('choose-channel');
    await this.decide(d, 'choose', { channel: 'store' }, 'confirm');
    await this.decide(d, 'confirm', undefined, 'replacing');
    // A back end that fails once (13800000004) is retried, as the agent would.
    const done = await d.client.nextPush((f) => f.data.callId === d.callId && ['remind', 'execute-failed'].includes(f.data.step?.id), 5000);
    d.views.push(done);
    if (done.data.step.id === 'execute-failed') {
      await this.decide(d, 'retry', undefined, 'replacing');
      await d.pushed('remind');
    }
    await this.decide(d, 'acknowledged', undefined, 'close');
    const view = await this.decide(d, 'submit', undefined, 'completed');
    if (view.data.status !== 'completed') throw new Error(`accepted offer ended ${view.data.status}/${view.data.outcome}`);
    return d.callId;
  }

  /** suspend-service v2 without the upsell step: drafted and published through the authoring API (two supervisors). */
  async publishVersionWithoutUpsell(): Promise<number> {
    const send = async (user: string, method: string, p: string, body: unknown = {}) => {
      const res = await http(this.server.baseUrl, method, `/api/authoring${p}`, { token: await this.server.token(user), body });
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${res.text}`);
      return res.body;
    };
    const draft = await send('supervisor1', 'POST', `/flows/${SUSPEND}/versions`);
    const definition = structuredClone(draft.definition);
    definition.machine.states.warn.on.ACKNOWLEDGED.target = 'verify';
    delete definition.machine.states.upsell;
    delete definition.machine.states['offer-accepted'];
    const edited = await send('supervisor1', 'PUT', `/flows/${SUSPEND}/versions/${draft.version}`, { definition });
    if (edited.findings.length) throw new Error(`v2 draft has findings: ${JSON.stringify(edited.findings)}`);
    await send('supervisor1', 'POST', `/flows/${SUSPEND}/versions/${draft.version}/submit`);
    await send('supervisor2', 'POST', `/flows/${SUSPEND}/versions/${draft.version}/approve`, { comment: 'no upsell' });
    await send('supervisor2', 'POST', `/flows/${SUSPEND}/versions/${draft.version}/publish`);
    return draft.version;
  }

  /**
   * A hotline call through enter-service: the need picked at ask-need (with the words typed for an
   * "other" need), a bill inquiry if asked for, then hang-up (service request, goodbye, SMS, closed).
   */
  async hotline(user: string, msisdn: string, need: string, opts: { needNote?: string; bill?: boolean } = {}): Promise<string> {
    const d = await this.driver(user);
    await d.start(msisdn, 'enter-service');
    await d.pushed('greeting');
    await this.decide(d, 'greeted', undefined, 'ask-need');
    await this.decide(d, 'identified', { need, ...(opts.needNote ? { needNote: opts.needNote } : {}) }, 'need-identified');
    if (opts.bill) {
      await this.decide(d, 'another-business', { flowId: 'bill-inquiry' }, 'query-bills');
      await d.pushed('explain-bill');
      await this.decide(d, 'explained', undefined, 'next-need');
      await this.decide(d, 'done', undefined, 'close');
      await this.decide(d, 'submit', undefined, 'completed');
    }
    await this.decide(d, 'finish-call', undefined, 'service-request');
    await this.decide(d, 'submit', { resolution: 'resolved' }, 'closing');
    await this.decide(d, 'goodbye', undefined, 'sending-sms');
    await d.pushed('closed');
    return d.callId;
  }

  /**
   * The calls the dashboard pages show: one of each outcome above on v1, v2 published, two
   * completed calls on it; resolves once their facts and check results (written in the background
   * once a call ends) are all stored — the applicable checks per call as the replay computes them.
   */
  async dashboardCalls(): Promise<string[]> {
    const calls = [
      await this.completed('agent1', '13800000001'),
      await this.notEligible('agent2', '13800000002'),
      await this.failedThenRetried('agent1', '13800000004'),
      await this.ticketRaised('agent1', '13800000005'),
      await this.locked('agent1', '13800000003'),
      await this.abandoned('agent1', '13900000001'),
      await this.acceptedOffer('agent1', '13800000001'),
    ];
    if ((await this.publishVersionWithoutUpsell()) !== 3) throw new Error('the version without upsell was not version 3');
    calls.push(await this.completed('agent1', '13900000001', true), await this.completed('agent2', '13800000012', true));
    const get = async (user: string, p: string) => {
      const res = await http(this.server.baseUrl, 'GET', p, { token: await this.server.token(user) });
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
      return res.body;
    };
    await until(
      'the 9 calls in the metrics',
      () => get('supervisor1', '/api/metrics/summary'),
      (s: any) => s.calls === 9,
      20_000,
    );
    const applicable: Record<string, number> = {};
    for (const id of calls) {
      const replay = await get('qa1', `/api/qa/calls/${id}/replay`);
      for (const c of replay.checks) if (c.applicable) applicable[c.id] = (applicable[c.id] ?? 0) + 1;
    }
    await until(
      'the checks of the 9 calls stored',
      async () =>
        Object.fromEntries((await get('supervisor1', '/api/metrics/compliance')).filter((c: any) => c.applicable).map((c: any) => [c.checkId, c.applicable])),
      (stored) => JSON.stringify(Object.entries(stored).sort()) === JSON.stringify(Object.entries(applicable).sort()),
      20_000,
    );
    return calls;
  }
}
