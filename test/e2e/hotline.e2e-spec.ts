/**
 * A hotline call as it really runs, against the real server over a real WebSocket: it enters
 * through the enter-service sub-blueprint, does a bill inquiry, then a suspension whose travel
 * reason leads to an accepted "两城一家" that opens that business, returns to the hub, and leaves
 * through hang-up with the confirmation SMS. The same call replays deterministically, survives
 * SIGKILL in the middle of the jump, and `flow.search` finds businesses by scenario.
 */
import { CallDriver, expectStep, offerIds } from '../support/flow';
import { expectDeterministicReplay, getCall, login, optionIds, type ViewFrame } from '../support/client';
import { useServer } from '../support/use-server';

const CALLER = '13800000001';
const businessesOf = (v: ViewFrame) => (v.data as any).businesses.map((b: any) => `${b.flowId}:${b.status}${b.outcome ? `:${b.outcome}` : ''}`);

/** enter-service: screen pop (back end) → greeting → need identified → the hub. */
async function enter(d: CallDriver): Promise<ViewFrame> {
  const first = await d.start(CALLER, 'enter-service');
  expectStep(first, 'ivr-transfer');
  await d.pushed('greeting');
  await d.decide('greeted', undefined, 'ask-need');
  const hub = await d.decide('identified', { need: 'bill' }, 'need-identified');
  expect(optionIds(hub)).toEqual(['another-business', 'finish-call']);
  expect((hub.data as any).betweenBusinesses).toBe(true);
  return hub;
}

/** Hub → bill-inquiry → its bill explained → no further need → closed → the hub again. */
async function billInquiry(d: CallDriver): Promise<ViewFrame> {
  await d.decide('another-business', { flowId: 'bill-inquiry' }, 'query-bills');
  const explain = await d.pushed('explain-bill');
  expect(explain.data.step.script).toMatch(/168\.5/);
  await d.decide('explained', undefined, 'next-need');
  await d.decide('done', undefined, 'close');
  return d.decide('submit', undefined, 'completed');
}

/** Hub → suspend-service with reason travel → upsell → accept 两城一家 → explain-product of that flow. */
async function suspendThenAcceptTwoCities(d: CallDriver): Promise<ViewFrame> {
  await d.decide('another-business', { flowId: 'suspend-service' }, 'check-eligibility');
  await d.decide('continue', undefined, 'confirm-reason');
  await d.decide('continue', { reason: 'travel' }, 'warn');
  const upsell = await d.decide('acknowledged', undefined, 'upsell');
  expect(offerIds(upsell)[0]).toBe('two-cities-one-home');
  return d.decide('accept', { offerId: 'two-cities-one-home' }, 'explain-product');
}

/** The hub → finish-call → hang-up: service request → closing words → SMS → closed. */
async function hangUp(d: CallDriver): Promise<ViewFrame> {
  await d.decide('finish-call', undefined, 'service-request');
  await d.decide('submit', { resolution: 'resolved' }, 'closing');
  await d.decide('goodbye', undefined, 'sending-sms');
  const closed = await d.pushed('closed');
  expect(closed.data).toMatchObject({ status: 'completed', outcome: 'completed' });
  return closed;
}

function expectTheWholeCallLogged(call: any): void {
  const { events } = call;
  const flowsInOrder = [...new Set(events.map((e: any) => `${e.flowIdAfter}@${e.flowVersionAfter}`))];
  expect(flowsInOrder).toEqual(['enter-service@2', 'bill-inquiry@2', 'suspend-service@2', 'two-cities-one-home@2', 'hang-up@2']);
  // The jump: the accept is logged in suspend-service and lands in two-cities-one-home.
  const accept = events.find((e: any) => e.payload?.option === 'accept');
  expect(accept).toMatchObject({
    flowId: 'suspend-service',
    stateBefore: 'upsell',
    flowIdAfter: 'two-cities-one-home',
    stateAfter: 'explain-product',
  });
  const opened = events.find((e: any) => e.type === 'backend.reply' && e.payload.operation === 'provision' && e.flowId === 'two-cities-one-home');
  expect(opened.payload).toMatchObject({ ok: true, output: { action: 'open-product' } });
  const sms = events.find((e: any) => e.type === 'backend.reply' && e.payload.operation === 'sendConfirmationSms');
  expect(sms).toMatchObject({
    flowId: 'hang-up',
    stateAfter: 'closed',
    payload: { ok: true, output: { messageId: expect.stringMatching(/^SMS-/) } },
  });
  expect(call.call ?? call).toMatchObject({ status: 'completed', outcome: 'completed' });
}

describe('a hotline call across businesses over a real WebSocket', () => {
  const server = useServer();
  /** The test that SIGKILLs its server mid-call has its own. */
  const crashing = useServer({ lifetime: 'per-test' });

  it('enters, does a bill inquiry, suspends → accepts 两城一家 which opens its flow, returns to the hub, hangs up with the SMS; replays deterministically', async () => {
    const token = await login(server.baseUrl, 'agent1');
    const d = await server.driver('agent1');

    await enter(d);
    const afterBill = await billInquiry(d);
    expect(businessesOf(afterBill)).toEqual(['enter-service:done:need-identified', 'bill-inquiry:done:completed']);
    expect(optionIds(afterBill)).toEqual(['another-business', 'finish-call']);

    const explain = await suspendThenAcceptTwoCities(d);
    expect(businessesOf(explain)).toEqual([
      'enter-service:done:need-identified',
      'bill-inquiry:done:completed',
      'suspend-service:done:converted',
      'two-cities-one-home:active',
    ]);
    expect((explain.data as any).flow).toMatchObject({ id: 'two-cities-one-home', version: 2 });

    await d.decide('interested', undefined, 'confirm');
    await d.decide('confirm', { secondCity: '上海' }, 'opening');
    await d.pushed('remind');
    await d.decide('acknowledged', undefined, 'close');
    const back = await d.decide('submit', undefined, 'completed');
    expect(optionIds(back)).toEqual(['another-business', 'finish-call']);
    expect(businessesOf(back).at(-1)).toBe('two-cities-one-home:done:completed');

    const closed = await hangUp(d);
    expect(businessesOf(closed).at(-1)).toBe('hang-up:done:closed');
    d.expectConsecutiveSeq();

    const call = await getCall(server.baseUrl, token, d.callId);
    expectTheWholeCallLogged(call);
    await expectDeterministicReplay(server.baseUrl, token, d.callId);
  });

  it('survives SIGKILL in the middle of the jump — right after the accept, and again while the product is being opened', async () => {
    // A slow back end (300 ms, under BACKEND_TIMEOUT_MS) so the second kill lands while opening is in flight.
    await crashing.start({ env: { SIM_LATENCY_MS: '300' } });
    const d1 = await crashing.driver('agent1');
    await enter(d1);
    await billInquiry(d1);
    const explain = await suspendThenAcceptTwoCities(d1);
    const { callId, seq } = explain.data;
    await crashing.kill('SIGKILL');

    await crashing.restart();
    const d2 = await crashing.driver('agent1');
    const attached = await d2.attach(callId);
    expectStep(attached, 'explain-product', 'after the first restart');
    expect(attached.data.seq).toBe(seq);
    expect(businessesOf(attached)).toEqual(businessesOf(explain));
    await d2.decide('interested', undefined, 'confirm');
    const opening = await d2.decide('confirm', { secondCity: '杭州' }, 'opening');
    await crashing.kill('SIGKILL');

    await crashing.restart();
    const token = await login(crashing.baseUrl, 'agent1');
    const d3 = await crashing.driver('agent1');
    const resumed = await d3.attach(callId);
    // Recovery re-issued the opening with the same idempotency key; the view shows where it is.
    const remind = resumed.data.step.id === 'remind' ? resumed : await d3.pushed('remind', 10_000);
    expect(remind.data.seq).toBe(opening.data.seq + 1);
    await d3.decide('acknowledged', undefined, 'close');
    await d3.decide('submit', undefined, 'completed');
    await hangUp(d3);

    const call = await getCall(crashing.baseUrl, token, callId);
    expectTheWholeCallLogged(call);
    const openings = call.events.filter((e: any) => e.type === 'backend.reply' && e.payload.operation === 'provision' && e.flowId === 'two-cities-one-home');
    expect(openings).toHaveLength(1);
    await expectDeterministicReplay(crashing.baseUrl, token, callId);
  });

  it('a need added at a decision point runs after the current business, before the hub', async () => {
    const token = await login(server.baseUrl, 'agent1');
    const d = await server.driver('agent1');
    await enter(d);
    await d.decide('another-business', { flowId: 'suspend-service' }, 'check-eligibility');
    const confirmReason = await d.decide('continue', undefined, 'confirm-reason');
    expect(optionIds(confirmReason)).toContain('add-need');
    const added = await d.decide('add-need', { flowId: 'points-redemption' }, 'confirm-reason');
    expect((added.data as any).businesses.map((b: any) => `${b.flowId}:${b.status}`)).toEqual(
      expect.arrayContaining(['suspend-service:active', 'points-redemption:queued']),
    );
    await d.decide('continue', { reason: 'travel' }, 'warn');
    await d.decide('acknowledged', undefined, 'upsell');
    await d.decide('decline', undefined, 'verify');
    await d.verifyByPassword();
    await d.executeToRemind();
    await d.decide('acknowledged', undefined, 'close');
    const next = await d.decide('submit');
    // Straight into the added need, not to the hub.
    expect((next.data as any).flow).toMatchObject({ id: 'points-redemption' });
    expect(businessesOf(next).slice(1)).toEqual(['suspend-service:done:completed', 'points-redemption:active']);
    // Its first step asks the back end for the points; let that answer land before reading the log.
    expect(next.data.step.id).toBe('query-points');
    await d.pushed('explain-points');
    const call = await getCall(server.baseUrl, token, d.callId);
    expect(call.events.find((e: any) => e.payload?.option === 'add-need')).toMatchObject({
      stateBefore: 'confirm-reason',
      stateAfter: 'confirm-reason',
    });
    await expectDeterministicReplay(server.baseUrl, token, d.callId);
  });

  it('flow.search ranks businesses by scenario in both languages', async () => {
    const client = await server.connect('agent1');
    const search = async (q: string) => {
      const reply = await client.request('flow.search', { q });
      expect(reply.event).toBe('flow.results');
      return reply.data.results.map((r: any) => r.id);
    };
    expect((await search('bill too high'))[0]).toBe('bill-inquiry');
    expect((await search('话费太高'))[0]).toBe('bill-inquiry');
    expect((await search('what have I subscribed to'))[0]).toBe('vas-unsubscribe');
    expect((await search('出国')).slice(0, 2)).toEqual(expect.arrayContaining(['intl-roaming', 'holiday-plan']));
    // Sub-blueprints are not businesses an agent picks.
    expect(await search('hang up')).not.toContain('hang-up');
    const bad = await client.request('flow.search', { q: 42 });
    expect(bad).toMatchObject({ event: 'call.error', data: { code: 'VALIDATION_FAILED' } });
  });
});
