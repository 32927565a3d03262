/**
 * ID digits cannot be guessed across calls (issue 17 item 6, docs/RELIABILITY.md): identity checks of
 * one subscriber are counted over all calls; past VERIFY_MAX_FAILURES_PER_SUBSCRIBER failures the check
 * is not sent to the back end — even with the right digits — the call gets a failed result marked
 * `locked` (logged, so the call replays), and the live floor raises a `verification-locked` alert.
 */
import { asView, expectDeterministicReplay, getCall, type ViewFrame, WsClient } from '../support/client';
import { useServer } from '../support/use-server';

describe('identity checks are locked per subscriber across calls', () => {
  const server = useServer({ env: { VERIFY_MAX_FAILURES_PER_SUBSCRIBER: '3' }, users: ['agent1', 'agent2', 'supervisor1'] });

  const decide = async (c: WsClient, v: ViewFrame, option: string, input?: Record<string, unknown>) =>
    asView(await c.request('call.decide', { callId: v.data.callId, seq: v.data.seq, option, ...(input ? { input } : {}) }), option);
  const atVerify = async (c: WsClient, number: string) => {
    let v = asView(await c.request('call.start', { callerNumber: number, flowId: 'suspend-service' }));
    v = await decide(c, v, 'continue');
    v = await decide(c, v, 'continue', { reason: 'travel' });
    v = await decide(c, v, 'acknowledged');
    v = await decide(c, v, 'decline');
    expect(v.data.step.id).toBe('verify');
    return v;
  };
  /** One guess of the ID digits: the view the back end's (or the lock's) answer leads to. */
  const guess = async (c: WsClient, v: ViewFrame, digits: string) => {
    const checking = await decide(c, v, 'id-document', { idLast4: digits });
    expect(checking.data.step.id).toBe('checking-document');
    return c.nextPush((f) => f.data.callId === v.data.callId && f.data.seq > checking.data.seq, 5_000);
  };
  const replyOf = async (callId: string) =>
    (await getCall(server.baseUrl, server.tokens.agent1, callId)).events.filter((e: { type: string }) => e.type === 'backend.reply').pop().payload;

  it('after 3 failed checks over two calls, even the right digits are not sent; another subscriber is not affected; the floor alerts', async () => {
    const floor = await server.connect('supervisor1');
    await floor.request('floor.subscribe', {});
    const c = await server.connect('agent1');

    let v = await atVerify(c, '13800000012');
    v = await guess(c, v, '0000');
    v = await guess(c, v, '0001');
    expect(['verify', 'verify-document']).toContain(v.data.step.id);
    const first = v.data.callId;
    await c.request('call.hangup', { callId: first });

    // The caller rings again: a new call starts with no failures of its own.
    v = await atVerify(c, '13800000012');
    v = await guess(c, v, '0002');
    expect(['verify', 'verify-document']).toContain(v.data.step.id);
    v = await guess(c, v, '1212'); // the right digits — but the subscriber is locked now
    expect(v.data.step.id).not.toBe('execute');
    expect(await replyOf(v.data.callId)).toMatchObject({ operation: 'checkIdDocument', ok: true, output: { ok: false, locked: true } });
    const alert = await floor.next(
      (f) => f.event === 'floor.snapshot' && f.data.alerts.some((a: { kind: string }) => a.kind === 'verification-locked'),
      10_000,
      'a verification-locked alert',
    );
    expect(alert.data.alerts.find((a: { kind: string }) => a.kind === 'verification-locked')).toMatchObject({
      flowId: 'suspend-service',
      stepId: 'checking-document',
      value: 1,
    });
    await c.request('call.hangup', { callId: v.data.callId });
    await expectDeterministicReplay(server.baseUrl, server.tokens.agent1, v.data.callId);
    await expectDeterministicReplay(server.baseUrl, server.tokens.agent1, first);

    // Another subscriber's check goes through.
    const other = await server.connect('agent2');
    let w = await atVerify(other, '13800000001');
    w = await guess(other, w, '1234');
    expect(w.data.step.id).toBe('execute');
  });
});
