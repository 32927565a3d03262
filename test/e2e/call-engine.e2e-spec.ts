/**
 * The suspend-service flow driven end to end against the real server (dist/main.js) over a real
 * WebSocket: every path through the blueprint, the back-end failure modes, locales and seq
 * (optimistic concurrency) handling. Every finished call is replayed and must be deterministic.
 */
import { expectDeterministicReplay, expectError, getCall, optionIds } from '../support/client';
import { expectStep, findById, offerIds, promptIds } from '../support/flow';
import { useServer } from '../support/use-server';

describe('call engine (suspend-service) over a real WebSocket', () => {
  const server = useServer({ users: ['agent1'] });
  const token = () => server.tokens.agent1;
  const newCall = (locale?: string) => server.driver('agent1', locale);
  const events = async (callId: string): Promise<any[]> => (await getCall(server.baseUrl, token(), callId)).events;
  const replayOk = (callId: string) => expectDeterministicReplay(server.baseUrl, token(), callId);

  it('happy path 13800000001: eligibility → reason → warn → upsell declined → password → execute → remind → close', async () => {
    const d = await newCall();
    let v = await d.start('13800000001');
    expectStep(v, 'check-eligibility');
    expect(typeof v.data.callId).toBe('string');
    expect(v.data.callId.length).toBeGreaterThan(0);
    expect(v.data.seq).toBe(1);
    expect(v.data.status).toBe('active');
    expect(Array.isArray(v.data.step.rules)).toBe(true);
    expect(v.data.step.rules![0].passed).toBe(true);
    expect(optionIds(v)).toContain('continue');

    await d.decide('continue', undefined, 'confirm-reason');
    v = await d.decide('continue', { reason: 'travel' }, 'warn');
    expect(promptIds(v)).toEqual(expect.arrayContaining(['effective-immediately', 'plan-fee-charged']));

    v = await d.decide('acknowledged', undefined, 'upsell');
    const offers = v.data.step.offers ?? [];
    expect(offers.length).toBeGreaterThan(0);
    for (const o of offers) {
      expect(o).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          title: expect.any(String),
          pitch: expect.any(String),
          targetFlowId: expect.any(String),
        }),
      );
    }
    expect(offerIds(v)).toContain('two-cities-one-home');
    expect(offerIds(v)).not.toContain('replacement-sim'); // offers are chosen by reason

    await d.decide('decline', undefined, 'verify');
    await d.decide('password', undefined, 'checking-password');
    await d.pushed('execute');
    await d.decide('execute', undefined, 'executing');
    await d.pushed('remind');
    await d.decide('acknowledged', undefined, 'close');
    v = await d.decide('submit', undefined, 'completed');
    expect(v.data.status).toBe('completed');
    expect(v.data.outcome).toBe('completed');
    expect(d.views.map((x) => x.data.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    d.expectConsecutiveSeq();

    const call = await getCall(server.baseUrl, token(), d.callId);
    expect(call.status).toBe('completed');
    expect(call.outcome).toBe('completed');
    expect(Array.isArray(call.events)).toBe(true);
    expect(call.events.length).toBeGreaterThan(0);
    for (const e of call.events) {
      for (const field of ['seq', 'type', 'payload', 'stateBefore', 'stateAfter', 'at']) {
        expect(e).toHaveProperty(field);
      }
    }
    const seqs = call.events.map((e: any) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const replies = call.events.filter((e: any) => e.type === 'backend.reply');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map((e: any) => [e.stateBefore, e.stateAfter])).toEqual(
      expect.arrayContaining([
        ['checking-password', 'execute'],
        ['executing', 'remind'],
      ]),
    );
    const verifyDecision = call.events.find((e: any) => e.type === 'decision' && e.stateBefore === 'verify');
    expect(verifyDecision).toBeDefined();
    expect(verifyDecision.stateAfter).toBe('checking-password');
    expect(verifyDecision.payload.option).toBe('password');

    const replay = await replayOk(d.callId);
    expect(replay).toEqual({
      callId: d.callId,
      deterministic: true,
      eventsReplayed: call.events.length,
      divergences: [],
      chain: { intact: true, brokenAt: null },
    });
  });

  it('renders the script and titles in the connection locale, with placeholders filled', async () => {
    const en = await newCall('en');
    const ve = await en.start('13800000001');
    expectStep(ve, 'check-eligibility');
    expect(ve.data.step.title).toBe('Check eligibility');
    expect(ve.data.step.script).toEqual(expect.stringContaining('Hello 张伟'));
    expect(ve.data.step.script).not.toContain('{{');

    const zh = await newCall();
    const vz = await zh.start('13800000001');
    expectStep(vz, 'check-eligibility');
    expect(vz.data.step.title).toBe('判断是否符合停机条件');
    expect(vz.data.step.script).toEqual(expect.stringContaining('张伟'));
    expect(vz.data.step.script).toEqual(expect.stringContaining('13800000001'));
    expect(vz.data.step.script).not.toContain('{{');

    const zhExplicit = await newCall('zh-CN');
    const vx = await zhExplicit.start('13800000001');
    expect(vx.data.step.title).toBe('判断是否符合停机条件');
  });

  it('the caller’s profile comes with a connection’s first view of a call (start, attach), never again in answers or pushes', async () => {
    const d = await newCall('en');
    const first = await d.start('13800000001');
    expect(first.data.customer).toMatchObject({ msisdn: '13800000001', name: '张伟' });
    const watcher = await newCall('en');
    const attached = await watcher.attach(d.callId);
    expect(attached.data.customer).toMatchObject({ msisdn: '13800000001' });
    const answer = await d.decide('continue', undefined, 'confirm-reason');
    expect(answer.data).not.toHaveProperty('customer');
    // The other watcher's push of the same decision leaves it out too.
    const pushed = await watcher.client.next((f) => f.event === 'call.view' && f.data?.seq === answer.data.seq, 5000, 'the pushed view');
    expect(pushed.data).not.toHaveProperty('customer');
    expect(pushed.data).not.toHaveProperty('requestId');
  });

  it('not eligible (arrears) 13800000002: only end-not-eligible is offered, with the failed rule and its reason', async () => {
    const d = await newCall();
    const v = await d.start('13800000002');
    expectStep(v, 'check-eligibility');
    expect(optionIds(v)).toEqual(['end-not-eligible']);
    const rule = v.data.step.rules![0];
    expect(rule.passed).toBe(false);
    const check = findById(v.data.step.rules, 'no-arrears');
    expect(check).toBeDefined();
    expect(check.passed).toBe(false);
    const reason = check.reason ?? check.failReason;
    expect(typeof reason).toBe('string');
    expect(reason).toContain('58.5');
    expect(reason).not.toContain('{{');
    const lineActive = findById(v.data.step.rules, 'line-active');
    expect(lineActive?.passed).toBe(true);

    const refused = await d.client.request('call.decide', {
      callId: d.callId,
      seq: d.seq,
      option: 'continue',
    });
    expectError(refused, 'OPTION_NOT_AVAILABLE');

    const end = await d.decide('end-not-eligible', undefined, 'not-eligible');
    expect(end.data.status).toBe('completed');
    expect(end.data.outcome).toBe('not-eligible');
    expect(end.data.seq).toBe(v.data.seq + 1);
    await replayOk(d.callId);
  });

  it('forgot password → identity-document check 13800000003; a bad idLast4 is refused without touching the log', async () => {
    const d = await newCall();
    await d.start('13800000003');
    await d.toVerify('not-using');
    const vd = await d.decide('forgot-password', undefined, 'verify-document');

    const before = await events(d.callId);
    const bad = await d.client.request('call.decide', {
      callId: d.callId,
      seq: vd.data.seq,
      option: 'id-document',
      input: { idLast4: '12' },
    });
    expectError(bad, 'VALIDATION_FAILED');
    const after = await events(d.callId);
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);

    // Same seq still current: the refused decision did not advance the call.
    await d.decide('id-document', { idLast4: '5678' }, 'checking-document');
    await d.pushed('execute');
    await d.executeToRemind();
    await d.finishFromRemind();
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });

  it('IVR password failing 3 times locks verification 13800000003', async () => {
    const d = await newCall();
    await d.start('13800000003');
    await d.toVerify('travel');
    for (let attempt = 1; attempt <= 2; attempt++) {
      await d.decide('password', undefined, 'checking-password');
      const back = await d.pushed('verify');
      expect(back.data.status).toBe('active');
      expect(back.data.step.script).toContain(`已失败 ${attempt} 次`);
    }
    await d.decide('password', undefined, 'checking-password');
    const locked = await d.pushed('verification-locked');
    expect(locked.data.status).toBe('completed');
    expect(locked.data.outcome).toBe('locked');
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });

  it('back end fails once 13800000004: execute-failed → retry → remind → completed', async () => {
    const d = await newCall();
    const failed = await d.suspensionFails('13800000004');
    expect(optionIds(failed)).toEqual(expect.arrayContaining(['retry', 'raise-ticket']));
    await d.decide('retry', undefined, 'executing');
    await d.pushed('remind');
    await d.finishFromRemind();
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });

  it('suspension always fails 13800000005: execute-failed twice → raise-ticket → the work order is raised, then announced', async () => {
    const d = await newCall();
    await d.suspensionFails('13800000005');
    await d.decide('retry', undefined, 'executing');
    await d.pushed('execute-failed');
    await d.decide('raise-ticket', undefined, 'raising-ticket');
    const end = await d.pushed('execution-failed');
    expect(end.data.status).toBe('completed');
    expect(end.data.outcome).toBe('ticket-raised');
    expect(end.data.outcomeDetail?.workOrder).toEqual(expect.objectContaining({ receiptId: expect.any(String) }));
    d.expectConsecutiveSeq();
    const log = await events(d.callId);
    // The ticket announced was raised on this call: its accepted back-end reply is logged before the ending.
    const ending = log.filter((e) => e.stateAfter === 'execution-failed');
    expect(ending).toEqual([expect.objectContaining({ type: 'backend.reply', stateBefore: 'raising-ticket' })]);
    await replayOk(d.callId);
  });

  it('back end times out 13800000006: executing → (BACKEND_TIMEOUT_MS) execute-failed → raise-ticket → (times out too) manual follow-up', async () => {
    const d = await newCall();
    await d.start('13800000006');
    await d.toVerify('travel');
    await d.verifyByPassword();
    // Timed from before the decision is sent (the back end's clock starts after it): timed from the
    // reply, a pause of this process while the reply waited to be read shortened the measure.
    const t0 = Date.now();
    await d.decide('execute', undefined, 'executing');
    await d.pushed('execute-failed', 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600); // BACKEND_TIMEOUT_MS=800, not an instant error
    // The work-order system hangs too: no ticket is announced; the agent records it for a call-back.
    await d.decide('raise-ticket', undefined, 'raising-ticket');
    await d.pushed('ticket-failed', 10_000);
    const end = await d.decide('manual-record', undefined, 'manual-follow-up');
    expect(end.data.status).toBe('completed');
    expect(end.data.outcome).toBe('manual-follow-up');
    d.expectConsecutiveSeq();

    const log = await events(d.callId);
    const timeout = log.find((e) => e.type === 'timeout');
    expect(timeout).toBeDefined();
    expect(timeout.stateBefore).toBe('executing');
    expect(timeout.stateAfter).toBe('execute-failed');
    await replayOk(d.callId);
  });

  it('lost phone 13800000001: phone and SIM offers, accepting replacement-sim converts the suspension and moves the call into the replacement SIM', async () => {
    const d = await newCall();
    await d.start('13800000001');
    const up = await d.toUpsell('lost-phone');
    expect(offerIds(up)).toEqual(expect.arrayContaining(['online-phone-purchase', 'replacement-sim']));
    expect(offerIds(up)).not.toContain('two-cities-one-home');
    expect(optionIds(up)).toEqual(expect.arrayContaining(['accept', 'decline']));

    for (const offerId of ['two-cities-one-home', 'no-such-offer']) {
      const bad = await d.client.request('call.decide', { callId: d.callId, seq: up.data.seq, option: 'accept', input: { offerId } });
      expectError(bad, 'VALIDATION_FAILED', `accept ${offerId}`);
    }

    // The suspension stops there (converted) and the call goes on in the offer's business.
    const next = await d.decide('accept', { offerId: 'replacement-sim' }, 'check-eligibility');
    expect(next.data).toMatchObject({ status: 'active', flow: expect.objectContaining({ id: 'sim-replacement' }) });
    await d.decide('continue', undefined, 'warn');
    await d.decide('acknowledged', undefined, 'verify-document');
    const end = await d.decide('no-document', undefined, 'referred-to-shop');
    expect(end.data).toMatchObject({ status: 'completed', outcome: 'referred-to-shop' });
    expect(end.data.outcomeDetail?.businesses).toEqual([
      expect.objectContaining({ flowId: 'suspend-service', outcome: 'converted' }),
      expect.objectContaining({ flowId: 'sim-replacement', outcome: 'referred-to-shop', by: 'offer' }),
    ]);
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });

  it('stale seq is refused; a double click (same seq twice) applies exactly once', async () => {
    const d = await newCall();
    await d.start('13800000001');
    const cr = await d.decide('continue', undefined, 'confirm-reason');

    const stale = await d.client.request('call.decide', {
      callId: d.callId,
      seq: cr.data.seq - 1,
      option: 'continue',
      input: { reason: 'travel' },
    });
    expectError(stale, 'STALE_SEQ');

    const warn = await d.decide('continue', { reason: 'travel' }, 'warn');
    const decide = { callId: d.callId, seq: warn.data.seq, option: 'acknowledged' };
    const [a, b] = await Promise.all([d.client.request('call.decide', decide), d.client.request('call.decide', decide)]);
    const views = [a, b].filter((f) => f.event === 'call.view');
    const errors = [a, b].filter((f) => f.event === 'call.error');
    expect({ views: views.length, errors: errors.length }).toEqual({ views: 1, errors: 1 });
    expectError(errors[0], 'STALE_SEQ');
    expectStep(views[0] as any, 'upsell');
    expect(views[0].data.seq).toBe(warn.data.seq + 1);
    d.views.push(views[0] as any);

    const log = await events(d.callId);
    expect(log.filter((e) => e.type === 'decision' && e.stateBefore === 'warn')).toHaveLength(1);

    await d.decide('decline', undefined, 'verify');
    await d.verifyByPassword();
    await d.executeToRemind();
    await d.finishFromRemind();
    d.expectConsecutiveSeq();
    await replayOk(d.callId);
  });
});
