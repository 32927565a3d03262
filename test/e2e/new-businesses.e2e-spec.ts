/**
 * The businesses the offers and the field reports needed (issue 20 item 5), one real call each
 * against the real server over a real WebSocket: replacement SIM (ID check, delivery, the 广东
 * variant), buying a phone online (its offer moves the call on into the replacement SIM), top-up
 * (an arrears-suspended line; a back end that is down ends in a manual follow-up, never "done"),
 * itemised bill (a wrong service password, the ID check instead, the six-month limit) and the
 * can't-get-online fault report (guided checks, then a work order; a known outage ends at once).
 * Every call replays deterministically. Then: a draft whose offer opens no business is refused.
 */
import { expectDeterministicReplay, http, optionIds } from '../support/client';
import { offerIds, promptIds } from '../support/flow';
import { useServer } from '../support/use-server';

describe('the new businesses over a real WebSocket', () => {
  const server = useServer({ users: ['agent1', 'supervisor1'] });
  const newCall = (locale?: string) => server.driver('agent1', locale);
  const replayOk = (callId: string) => expectDeterministicReplay(server.baseUrl, server.tokens.agent1, callId);

  it('replacement SIM, 13800000003 (广东): warned before the ID check, wrong digits counted, delivered; the regional variant names the self-service terminals', async () => {
    const d = await newCall('en');
    let v = await d.start('13800000003', 'sim-replacement');
    expect(v.data.flow).toMatchObject({ id: 'sim-replacement', variant: '广东' });
    v = await d.decide('continue', undefined, 'warn');
    expect(promptIds(v)).toEqual(expect.arrayContaining(['old-sim-stops', 'fee']));
    await d.decide('acknowledged', undefined, 'verify-document');
    await d.decide('id-document', { idLast4: '0000' }, 'checking-document');
    v = await d.pushed('verify-document');
    expect(v.data.step.script).toContain('Failed attempts: 1');
    await d.decide('id-document', { idLast4: '5678' }, 'checking-document');
    v = await d.pushed('choose-channel');
    expect(v.data.step.script).toContain('24-hour self-service terminal');
    v = await d.decide('choose', { channel: 'delivery' }, 'confirm');
    expect(promptIds(v)).toEqual(['delivery', 'fee']);
    await d.decide('confirm', undefined, 'replacing');
    v = await d.pushed('remind');
    expect(v.data.step.script).toContain('REPLACE-SIM-');
    await d.decide('acknowledged', undefined, 'close');
    v = await d.decide('submit', undefined, 'completed');
    expect(v.data).toMatchObject({ status: 'completed', outcome: 'completed' });
    expect(v.data.outcomeDetail).toMatchObject({ channel: 'delivery', receipt: expect.objectContaining({ action: 'replace-sim' }) });
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });

  it('phone purchase, 13800000001: order placed; the replacement-SIM offer it makes moves the call into that business', async () => {
    const d = await newCall();
    await d.start('13800000001', 'phone-purchase');
    await d.decide('continue', undefined, 'choose-phone');
    await d.decide('choose', { model: 'midrange-5g' }, 'choose-delivery');
    let v = await d.decide('choose', { delivery: 'home-delivery' }, 'confirm-order');
    expect(promptIds(v)).toEqual(['payment', 'return', 'delivery']);
    await d.decide('confirm', undefined, 'ordering');
    v = await d.pushed('remind');
    expect(offerIds(v)).toEqual(['replacement-sim']);
    v = await d.decide('accept', { offerId: 'replacement-sim' }, 'check-eligibility');
    expect(v.data.status).toBe('active');
    expect(v.data.flow.id).toBe('sim-replacement');
    await d.decide('continue', undefined, 'warn');
    await d.decide('acknowledged', undefined, 'verify-document');
    v = await d.decide('no-document', undefined, 'referred-to-shop');
    expect(v.data).toMatchObject({ status: 'completed', outcome: 'referred-to-shop' });
    expect(v.data.outcomeDetail.businesses).toEqual([
      expect.objectContaining({ flowId: 'phone-purchase', outcome: 'converted', by: 'start' }),
      expect.objectContaining({ flowId: 'sim-replacement', outcome: 'referred-to-shop', by: 'offer' }),
    ]);
    await replayOk(d.callId);
  });

  it('top-up, 13800000009 (arrears-suspended): arrears told first, paid by link; 13800000005 (billing down, work orders up) ends in a raised ticket', async () => {
    const d = await newCall();
    await d.start('13800000009', 'top-up');
    await d.decide('continue', undefined, 'query-balance');
    let v = await d.pushed('tell-balance');
    expect(promptIds(v)).toEqual(['arrears', 'resume-after-pay']);
    await d.decide('continue', undefined, 'choose-amount');
    v = await d.decide('choose', { amount: '500', method: 'sms-pay-link' }, 'confirm-top-up');
    expect(promptIds(v)).toEqual(['amount', 'pay-link', 'no-refund', 'arrears-first']);
    await d.decide('confirm', undefined, 'topping-up');
    v = await d.pushed('remind');
    expect(promptIds(v)).toEqual(expect.arrayContaining(['pay-link-sent', 'resume']));
    await d.decide('acknowledged', undefined, 'close');
    v = await d.decide('submit', undefined, 'completed');
    expect(v.data.outcomeDetail).toMatchObject({ amount: '500', method: 'sms-pay-link' });
    await replayOk(d.callId);

    const down = await newCall();
    await down.start('13800000005', 'top-up');
    await down.decide('continue', undefined, 'query-balance');
    await down.pushed('query-failed');
    await down.decide('skip', undefined, 'choose-amount');
    await down.decide('choose', { amount: '50', method: 'bound-bank-card' }, 'confirm-top-up');
    await down.decide('confirm', undefined, 'topping-up');
    await down.pushed('execute-failed');
    await down.decide('raise-ticket', undefined, 'raising-ticket');
    v = await down.pushed('ticket-raised');
    expect(v.data).toMatchObject({ status: 'completed', outcome: 'ticket-raised' });
    await replayOk(down.callId);
  });

  it('itemised bill, 13800000011: privacy first, a wrong password, then the ID check; older than six months refused, last month sent to the app', async () => {
    const d = await newCall();
    await d.start('13800000011', 'itemised-bill');
    let v = await d.decide('continue', undefined, 'privacy-notice');
    expect(promptIds(v)).toEqual(['holder-only', 'totals-only', 'six-months']);
    await d.decide('acknowledged', undefined, 'verify-password');
    await d.decide('password', undefined, 'checking-password');
    await d.pushed('verify-password');
    await d.decide('forgot', undefined, 'verify-document');
    await d.decide('id-document', { idLast4: '1111' }, 'checking-document');
    v = await d.pushed('explain-details');
    // Totals only, the other party's number masked.
    expect(v.data.step.script).toContain('2026-10');
    expect(v.data.step.script).toMatch(/138\*{4}\d{4}/);
    await d.decide('send', undefined, 'choose-month');
    await d.decide('choose', { month: 'older', channel: 'sms' }, 'not-kept');
    await d.decide('choose-again', undefined, 'choose-month');
    await d.decide('choose', { month: 'last-month', channel: 'app' }, 'sending');
    v = await d.pushed('sent');
    expect(promptIds(v)).toEqual(['app', 'keep-private']);
    await d.decide('acknowledged', undefined, 'close');
    v = await d.decide('submit', undefined, 'completed');
    expect(v.data.outcomeDetail).toMatchObject({ month: 'last-month', channel: 'app' });
    await replayOk(d.callId);
  });

  it("can't get online, 13800000011 (3G handset): data switch, APN sent, network mode with a new-phone offer, coverage, then a work order; 13800000003's area outage ends at once", async () => {
    const d = await newCall();
    await d.start('13800000011', 'data-fault');
    await d.decide('continue', undefined, 'checking-network');
    await d.pushed('network-result');
    await d.decide('continue', undefined, 'data-switch');
    await d.decide('not-fixed', undefined, 'apn');
    await d.decide('push-apn', undefined, 'pushing-apn');
    await d.pushed('apn-sent');
    let v = await d.decide('not-fixed', undefined, 'network-mode');
    expect(promptIds(v)).toEqual(['mode', 'old-handset']);
    expect(offerIds(v)).toEqual(['online-phone-purchase']);
    await d.decide('not-fixed', undefined, 'coverage-check');
    await d.decide('raise-ticket', undefined, 'raising-ticket');
    v = await d.pushed('ticket-raised');
    expect(v.data).toMatchObject({ status: 'completed', outcome: 'ticket-raised' });
    expect(v.data.outcomeDetail.workOrder).toMatchObject({ action: 'raise-work-order' });
    await replayOk(d.callId);

    const outage = await newCall();
    await outage.start('13800000003', 'data-fault');
    await outage.decide('continue', undefined, 'checking-network');
    v = await outage.pushed('network-result');
    expect(optionIds(v)).toContain('outage');
    v = await outage.decide('outage', undefined, 'known-outage');
    expect(v.data).toMatchObject({ status: 'completed', outcome: 'known-outage' });
    await replayOk(outage.callId);
  });

  it('a draft whose offer opens no business is found by the checks and refused at submit', async () => {
    const token = server.tokens.supervisor1;
    const draft = (await http(server.baseUrl, 'POST', '/api/authoring/flows/phone-purchase/versions', { token, body: {} })).body;
    const d = structuredClone(draft.definition);
    const pitch = { 'zh-CN': '免费手机', en: 'A free phone' };
    d.machine.states.remind.meta.offers = [{ id: 'free-iphone', targetFlowId: 'iphone-shop', title: pitch, pitch }];
    delete d.machine.states.remind.meta.offersFrom;
    const saved = (await http(server.baseUrl, 'PUT', `/api/authoring/flows/phone-purchase/versions/${draft.version}`, { token, body: { definition: d } })).body;
    expect(saved.findings).toEqual([
      expect.objectContaining({
        check: 'loader',
        path: '$.machine.states.remind.meta.offers[0].targetFlowId',
        message: expect.stringContaining("'iphone-shop'"),
      }),
    ]);
    const refused = await http(server.baseUrl, 'POST', `/api/authoring/flows/phone-purchase/versions/${draft.version}/submit`, { token });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'CHECKS_FAILED' });
  });
});
