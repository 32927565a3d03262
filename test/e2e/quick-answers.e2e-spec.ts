/**
 * Scenario answers over the real server (issue 22 item 3, docs/KNOWLEDGE.md): questions answered
 * from the caller's data — why the bill is high, what they subscribed to, their plan, points and
 * credit, data left — read from the support systems at the screen pop (the read recorded like the pop's); told in a call, read again and logged as
 * a `quick.answer` event with the back-end reply it came from (the call stays where it is and replays).
 */
import type { QuickAnswerLogged, QuickAnswers } from '../../protocol/knowledge';
import { http } from '../support/client';
import { expectDeterministicReplay, getCall } from '../support/http';
import { useServer } from '../support/use-server';

describe('quick answers: the caller’s own data at the screen pop, logged with the call when told', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1', 'qa1'], locale: 'en' });
  const as = (user: string, method: string, url: string, body?: unknown) => http(server.baseUrl, method, url, { token: server.tokens[user], body });

  const BILL_RISE = {
    kind: 'bill-rise',
    month: '2026-10',
    totalYuan: 96.8,
    previousMonth: '2026-09',
    previousTotalYuan: 41,
    rises: [
      { name: { 'zh-CN': '套餐月租', en: 'Plan fee' }, yuan: 58.08, previousYuan: 28.7, riseYuan: 29.38 },
      { name: { 'zh-CN': '流量', en: 'Data' }, yuan: 29.04, previousYuan: 0, riseYuan: 29.04 },
      { name: { 'zh-CN': '增值业务', en: 'Value-added services' }, yuan: 9.68, previousYuan: 0, riseYuan: 9.68 },
    ],
  };

  it('at the pop: every answer, worked out from the caller’s bills, services, plan, points, credit and data allowances', async () => {
    const readsOf11 = async () => (await as('supervisor1', 'GET', '/api/profile-reads?msisdn=13800000011')).body as { username: string; forCall: boolean }[];
    const readsBefore = (await readsOf11()).length;
    const res = await as('agent1', 'GET', '/api/knowledge/quick-answers?msisdn=13800000011');
    // The caller's account data was read: recorded like the screen pop's profile, before the answer.
    const reads = await readsOf11();
    expect(reads.length).toBe(readsBefore + 1);
    expect(reads[0]).toMatchObject({ username: 'agent1', forCall: false });
    expect(res.status).toBe(200);
    const { msisdn, answers } = res.body as QuickAnswers;
    expect(msisdn).toBe('13800000011');
    expect(answers.map((a) => [a.id, a.facts])).toEqual([
      ['why-bill-high', BILL_RISE],
      ['subscribed-services', { kind: 'services-list', services: ['mzone-data-pack', 'qq-member', 'music-vip'] }],
      ['current-plan', { kind: 'plan-summary', name: { 'zh-CN': '动感地带38元套餐', en: 'M-Zone 38' }, monthlyYuan: 38 }],
      ['points-balance', { kind: 'points-balance', points: 800 }],
      ['balance', { kind: 'balance', balanceYuan: 0, arrearsYuan: 0 }],
      [
        'data-remaining',
        {
          kind: 'data-remaining',
          remainingMb: 1446,
          allowanceMb: 4096,
          usedMb: 2650,
          overMb: 0,
          packs: [
            { name: { 'zh-CN': '动感地带流量加油包', en: 'M-Zone data top-up pack' }, allowanceMb: 1024, usedMb: 0, remainingMb: 1024 },
            { name: { 'zh-CN': '套餐内国内流量', en: 'Plan data (domestic)' }, allowanceMb: 3072, usedMb: 2650, remainingMb: 422 },
          ],
        },
      ],
    ]);
    expect(answers[0].question).toEqual({ 'zh-CN': '我这个月话费怎么这么高？', en: 'Why is my bill so high this month?' });
  });

  it('a back end that does not answer leaves the answers unavailable, never the pop failing; bad requests and roles refused', async () => {
    const { answers } = (await as('agent1', 'GET', '/api/knowledge/quick-answers?msisdn=13800000014')).body as QuickAnswers;
    expect(answers.map((a) => a.facts)).toEqual([null, null, null, null, null, null]);
    const readsBefore = ((await as('supervisor1', 'GET', '/api/profile-reads')).body as unknown[]).length;
    expect((await as('agent1', 'GET', '/api/knowledge/quick-answers?msisdn=abc')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as('agent1', 'GET', '/api/knowledge/quick-answers')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as('qa1', 'GET', '/api/knowledge/quick-answers?msisdn=13800000011')).status).toBe(403);
    // Refused requests read nothing and record nothing.
    expect(((await as('supervisor1', 'GET', '/api/profile-reads')).body as unknown[]).length).toBe(readsBefore);
  });

  it('told in a call: a quick.answer event with the query and its reply, the call stays at its step and replays as it happened', async () => {
    const d = await server.driver('agent1');
    await d.start('13800000011', 'bill-inquiry');
    const atStep = await d.pushed('explain-bill');
    const res = await as('agent1', 'POST', `/api/calls/${d.callId}/quick-answers`, { answerId: 'why-bill-high' });
    expect(res.status).toBe(200);
    const logged = res.body as QuickAnswerLogged;
    expect(logged).toEqual({ seq: atStep.data.seq + 1, answer: { id: 'why-bill-high', question: expect.any(Object), facts: BILL_RISE } });
    // The screen gets the call's next view, at the same step.
    const pushed = await d.client.next((f) => f.event === 'call.view' && f.data?.seq === logged.seq, 5000, 'the view after the quick answer');
    expect(pushed.data.step.id).toBe('explain-bill');
    const event = (await getCall(server.baseUrl, server.tokens.agent1, d.callId)).events.find((e: { seq: number }) => e.seq === logged.seq);
    expect(event).toMatchObject({
      type: 'quick.answer',
      payload: { answerId: 'why-bill-high', query: 'bills', facts: BILL_RISE, reply: { latest: { month: '2026-10', totalYuan: 96.8 } } },
    });
    d.views.push(pushed);
    await d.decide('explained', undefined, 'next-need');
    // Between steps too (a decision then answers the view the quick answer moved the call to).
    const points = (await as('agent1', 'POST', `/api/calls/${d.callId}/quick-answers`, { answerId: 'points-balance' })).body as QuickAnswerLogged;
    d.views.push(await d.client.next((f) => f.event === 'call.view' && f.data?.seq === points.seq, 5000, 'the view after the second answer'));
    const done = await d.decide('done', undefined, 'close');
    expect(done.data.seq).toBeGreaterThan(logged.seq);
    await expectDeterministicReplay(server.baseUrl, server.tokens.supervisor1, d.callId);
  });

  it('refused, changing nothing: an unknown answer, another agent’s call, no such call, an ended call', async () => {
    const d = await server.driver('agent1');
    await d.start('13800000011', 'bill-inquiry');
    await d.pushed('explain-bill');
    const before = (await getCall(server.baseUrl, server.tokens.agent1, d.callId)).events.length;
    const tell = (user: string, callId: string, answerId: unknown) => as(user, 'POST', `/api/calls/${callId}/quick-answers`, { answerId });
    expect((await tell('agent1', d.callId, 'no-such-answer')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await tell('agent1', d.callId, 'Bad Id!')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await tell('agent2', d.callId, 'balance')).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await tell('agent1', '00000000-0000-4000-8000-000000000000', 'balance')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await tell('agent1', 'not-a-uuid', 'balance')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await getCall(server.baseUrl, server.tokens.agent1, d.callId)).events.length).toBe(before);
    await d.client.request('call.hangup', { callId: d.callId });
    expect((await tell('agent1', d.callId, 'balance')).body).toMatchObject({ code: 'OPTION_NOT_AVAILABLE' });
  });
});
