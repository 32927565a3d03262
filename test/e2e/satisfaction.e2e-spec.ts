/**
 * Satisfaction and the redesign loop (issue 21 items 2 and 4) against the real server: the tests act
 * as the SMS gateway and the IVR (signed answers over real HTTP) and as agents over real WebSockets.
 * Signed replies are matched to their calls (the SMS's reference, else the number's latest call in
 * the window) and counted per channel, business, version, agent and step path — exactly; an unsigned,
 * badly signed, stale, replayed, unreadable or unmatched answer is refused and changes nothing. Agents
 * flag a step from a live call (a logged call event; the call goes on and replays), QA from a replay
 * (an audited row), and the redesign backlog ranks them with the heat map's failures as
 * docs/REDESIGN.md says; a newer published version awaits data, then closes the entries it moved.
 * Both stores.
 */
import { expectDeterministicReplay, getCall, http } from '../support/client';
import type { CallDriver } from '../support/flow';
import { MetricsCalls, SUSPEND } from '../support/metrics-calls';
import { until } from '../support/poll';
import { storeSnapshot } from '../support/store';
import { messageId, postSurveyReply, SURVEY_SECRET } from '../support/survey';
import { useServer } from '../support/use-server';

const STATE = [
  { sql: 'SELECT message_id, channel, call_id, rating, answer, reference, replied_at FROM satisfaction_replies ORDER BY message_id' },
  { sql: 'SELECT id, source, flow_id, flow_version, step_id, reason, text, call_id, call_seq, actor FROM step_flags ORDER BY id' },
];

const CALLER = '13800000001';

/** A hotline call: enter-service → bill-inquiry → hang-up, which sends the satisfaction SMS. */
async function hotlineWithBill(d: CallDriver): Promise<string> {
  await d.start(CALLER, 'enter-service');
  await d.pushed('greeting');
  await d.decide('greeted', undefined, 'ask-need');
  await d.decide('identified', { need: 'bill' }, 'need-identified');
  await d.decide('another-business', { flowId: 'bill-inquiry' }, 'query-bills');
  await d.pushed('explain-bill');
  await d.decide('explained', undefined, 'next-need');
  await d.decide('done', undefined, 'close');
  await d.decide('submit', undefined, 'completed');
  await d.decide('finish-call', undefined, 'service-request');
  await d.decide('submit', { resolution: 'resolved' }, 'closing');
  await d.decide('goodbye', undefined, 'sending-sms');
  await d.pushed('closed');
  return d.callId;
}

describe('satisfaction replies and the redesign backlog', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'supervisor1', 'supervisor2', 'qa1', 'admin1'], locale: 'en', env: { SURVEY_SECRET } });
  const work = new MetricsCalls(server);
  const calls: Record<string, string> = {};
  const now = () => new Date().toISOString();
  const get = async (p: string, user = 'supervisor1') => {
    const res = await http(server.baseUrl, 'GET', p, { token: await server.token(user) });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
    return res.body;
  };
  let smsId = '';

  beforeAll(async () => {
    calls.H = await hotlineWithBill(await server.driver('agent1', 'en'));
    // A: the same number's later call, about suspend-service (agent1); B: not eligible (agent2); C: fails once, retried (agent1).
    calls.A = await work.completed('agent1', CALLER);
    calls.B = await work.notEligible('agent2', '13800000002');
    calls.C = await work.failedThenRetried('agent1', '13800000004');
    const h = await getCall(server.baseUrl, await server.token('supervisor1'), calls.H);
    smsId = h.outcomeDetail.sms.messageId;
    expect(smsId).toMatch(/^SMS-/);
    await until(
      'facts of the 4 calls',
      () => get('/api/metrics/summary'),
      (s) => s.calls === 4,
    );
  });

  it('signed SMS replies and an IVR answer are matched to their calls and stored once', async () => {
    // The reference picks H although A, from the same number, ended later.
    const r1 = await postSurveyReply(server.baseUrl, {
      messageId: 'mo-1',
      channel: 'sms',
      callerNumber: CALLER,
      reference: smsId,
      answer: '5 非常满意',
      repliedAt: now(),
    });
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ messageId: 'mo-1', channel: 'sms', callId: calls.H, rating: 5 });
    // No reference: the number's latest call in the window.
    const r2 = await postSurveyReply(server.baseUrl, { messageId: 'mo-2', channel: 'sms', callerNumber: CALLER, answer: '２', repliedAt: now() });
    expect(r2.body).toEqual({ messageId: 'mo-2', channel: 'sms', callId: calls.A, rating: 2 });
    // The IVR's post-call survey: the keys pressed.
    const r3 = await postSurveyReply(server.baseUrl, { messageId: 'ivr-1', channel: 'ivr', callerNumber: '13800000002', answer: '4#', repliedAt: now() });
    expect(r3.body).toEqual({ messageId: 'ivr-1', channel: 'ivr', callId: calls.B, rating: 4 });
    const [replies] = await storeSnapshot(server.dataDir, STATE);
    expect(replies.map((r) => [r.message_id, r.channel, r.call_id, Number(r.rating)])).toEqual([
      ['ivr-1', 'ivr', calls.B, 4],
      ['mo-1', 'sms', calls.H, 5],
      ['mo-2', 'sms', calls.A, 2],
    ]);
  });

  it('unsigned, badly signed, stale, replayed, unreadable and unmatched answers are refused and change nothing', async () => {
    const before = await storeSnapshot(server.dataDir, STATE);
    const reply = { messageId: messageId(), channel: 'sms', callerNumber: CALLER, answer: '1', repliedAt: now() };
    const refused = async (status: number, code: string, body: Record<string, unknown>, opts = {}) => {
      const res = await postSurveyReply(server.baseUrl, body, opts);
      expect([res.status, res.body.code]).toEqual([status, code]);
    };
    await refused(401, 'UNAUTHORIZED', reply, { signature: null });
    await refused(401, 'UNAUTHORIZED', reply, { secret: 'another-secret-of-at-least-thirty-two-chars' });
    await refused(401, 'UNAUTHORIZED', reply, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await refused(409, 'EVENT_REPLAYED', { ...reply, messageId: 'mo-1', reference: smsId });
    await refused(400, 'VALIDATION_FAILED', { ...reply, answer: '谢谢' });
    await refused(400, 'VALIDATION_FAILED', { ...reply, channel: 'email' });
    await refused(404, 'NOT_FOUND', { ...reply, callerNumber: '13999999999' });
    await refused(404, 'NOT_FOUND', { ...reply, reference: 'SMS-not-sent' });
    // The IVR window is 30 minutes: a call that ended 31 minutes before the answer is not its call.
    await refused(404, 'NOT_FOUND', { ...reply, channel: 'ivr', callerNumber: '13800000002', repliedAt: new Date(Date.now() + 31 * 60_000).toISOString() });
    expect(await storeSnapshot(server.dataDir, STATE)).toEqual(before);
  });

  it('satisfaction per channel, business, version, agent and step path — exact; and per business through the filter', async () => {
    const report = await get('/api/metrics/satisfaction');
    const f = (replies: number, averageRating: number, satisfiedRate: number) => ({ replies, averageRating, satisfiedRate });
    expect(report.total).toEqual(f(3, 3.67, 0.6667));
    expect(report.byChannel).toEqual([
      { channel: 'sms', ...f(2, 3.5, 0.5) },
      { channel: 'ivr', ...f(1, 4, 1) },
    ]);
    expect(report.byBusiness).toEqual([
      { flowId: 'bill-inquiry', ...f(1, 5, 1) },
      { flowId: SUSPEND, ...f(2, 3, 0.5) },
    ]);
    expect(report.byVersion).toEqual([
      { flowId: 'bill-inquiry', version: 2, ...f(1, 5, 1) },
      { flowId: SUSPEND, version: 2, ...f(2, 3, 0.5) },
    ]);
    expect(report.byAgent).toEqual([
      { agentId: 'agent1', ...f(2, 3.5, 0.5) },
      { agentId: 'agent2', ...f(1, 4, 1) },
    ]);
    expect(report.byStepPath).toEqual([
      { flowId: 'bill-inquiry', path: ['query-bills', 'explain-bill', 'next-need', 'close', 'completed'], ...f(1, 5, 1) },
      {
        flowId: SUSPEND,
        path: ['check-eligibility', 'confirm-reason', 'warn', 'upsell', 'verify', 'checking-password', 'execute', 'executing', 'remind', 'close', 'completed'],
        ...f(1, 2, 0),
      },
      { flowId: SUSPEND, path: ['check-eligibility', 'not-eligible'], ...f(1, 4, 1) },
    ]);
    const bill = await get('/api/metrics/satisfaction?flowId=bill-inquiry', 'qa1');
    expect(bill.total).toEqual(f(1, 5, 1));
    expect(bill.byBusiness).toEqual([{ flowId: 'bill-inquiry', ...f(1, 5, 1) }]);
    expect((await get('/api/metrics/satisfaction?from=2000-01-01&to=2000-01-31')).total).toEqual({ replies: 0, averageRating: null, satisfiedRate: null });
  });

  it('the evaluation model scores the same replies: satisfaction per business, and the quadrant plots replies, not the fallback', async () => {
    const scores = await get('/api/evaluation/scores?by=business');
    const indicator = (key: string, id: string) =>
      (scores.groups as { key: string; indicators: { id: string }[] }[]).find((g) => g.key === key)!.indicators.find((i) => i.id === id);
    expect(indicator('bill-inquiry', 'satisfaction-score')).toMatchObject({ status: 'ok', value: 100, sample: 1 });
    expect(indicator(SUSPEND, 'satisfaction-score')).toMatchObject({ status: 'ok', value: 60, sample: 2 });
    expect(indicator(SUSPEND, 'satisfied-share')).toMatchObject({ status: 'ok', value: 0.5, sample: 2 });
    const quadrant = await get('/api/evaluation/quadrant');
    expect(quadrant.satisfactionSource).toBe('satisfaction');
    expect(quadrant.points.find((p: { flowId: string }) => p.flowId === 'bill-inquiry')).toMatchObject({ satisfaction: 100 });
  });

  it("a supervisor of some teams reads their agents' replies only, in the satisfaction metrics and the model; QA and a supervisor of all teams read all", async () => {
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await http(server.baseUrl, method, `/api/people${path}`, { token: await server.token('admin1'), body });
      expect(res.status).toBeLessThan(300);
      return res.body;
    };
    const f = (replies: number, averageRating: number | null, satisfiedRate: number | null) => ({ replies, averageRating, satisfiedRate });
    const team = await admin('POST', '/teams', { name: 'Satisfaction South' });
    const users = (await admin('GET', '/users')) as { id: string; username: string }[];
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;
    await admin('PATCH', `/users/${idOf('agent2')}`, { teamId: team.id });
    await admin('PATCH', `/users/${idOf('supervisor2')}`, { supervises: [team.id] });
    try {
      // agent2's one rated call (B: not eligible, rated 4 by SMS) — agent1's two are another team's.
      const south = await get('/api/metrics/satisfaction', 'supervisor2');
      expect(south.total).toEqual(f(1, 4, 1));
      expect(south.byAgent).toEqual([{ agentId: 'agent2', ...f(1, 4, 1) }]);
      expect(south.byBusiness).toEqual([{ flowId: SUSPEND, ...f(1, 4, 1) }]);
      expect(south.byStepPath).toEqual([{ flowId: SUSPEND, path: ['check-eligibility', 'not-eligible'], ...f(1, 4, 1) }]);
      const scores = await get('/api/evaluation/scores?by=business', 'supervisor2');
      const groups = scores.groups as { key: string; indicators: { id: string }[] }[];
      expect(groups.find((g) => g.key === SUSPEND)!.indicators.find((i) => i.id === 'satisfaction-score')).toMatchObject({
        status: 'ok',
        value: 80,
        sample: 1,
      });
      expect(groups.find((g) => g.key === 'bill-inquiry')).toBeUndefined();
      for (const everyone of ['qa1', 'supervisor1']) expect((await get('/api/metrics/satisfaction', everyone)).total).toEqual(f(3, 3.67, 0.6667));
      await admin('PATCH', `/users/${idOf('supervisor2')}`, { supervises: [] });
      expect((await get('/api/metrics/satisfaction', 'supervisor2')).total).toEqual(f(0, null, null));
    } finally {
      await admin('PATCH', `/users/${idOf('supervisor2')}`, { supervises: 'all' });
      await admin('PATCH', `/users/${idOf('agent2')}`, { teamId: null });
    }
  });

  it('an agent flags a step from the live call (a logged event; the call goes on and replays), QA from the replay; the backlog ranks them', async () => {
    const d = await server.driver('agent1', 'en');
    await d.start('13800000005');
    await d.decideConfirming('continue', undefined, { expect: 'confirm-reason' });
    const flagged = await http(server.baseUrl, 'POST', `/api/calls/${d.callId}/flags`, {
      token: await server.token('agent1'),
      body: { reason: 'script-unclear', text: 'callers ask what "suspend" costs' },
    });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({
      source: 'agent',
      flowId: SUSPEND,
      version: 2,
      stepId: 'confirm-reason',
      reason: 'script-unclear',
      callId: d.callId,
      seq: d.seq + 1,
      actor: 'agent1',
    });
    // The screen gets the new view (same step, the seq moved on) and the call goes on from it.
    const pushed = await d.pushed('confirm-reason');
    expect(pushed.data.seq).toBe(flagged.body.seq);
    await d.decideConfirming('continue', { reason: 'travel' }, { expect: 'warn' });
    // Someone else's call cannot be flagged; an ended one neither.
    const other = await http(server.baseUrl, 'POST', `/api/calls/${d.callId}/flags`, {
      token: await server.token('agent2'),
      body: { reason: 'other', text: '' },
    });
    expect(other.status).toBe(403);
    const ended = await http(server.baseUrl, 'POST', `/api/calls/${calls.A}/flags`, {
      token: await server.token('agent1'),
      body: { reason: 'other', text: '' },
    });
    expect([ended.status, ended.body.code]).toEqual([409, 'OPTION_NOT_AVAILABLE']);
    await d.client.request('call.hangup', { callId: d.callId });
    calls.F = d.callId;
    const log = await getCall(server.baseUrl, await server.token('supervisor1'), calls.F);
    expect(log.events.find((e: any) => e.type === 'step.flag')).toMatchObject({
      seq: flagged.body.seq,
      stateBefore: 'confirm-reason',
      stateAfter: 'confirm-reason',
      payload: { reason: 'script-unclear', text: 'callers ask what "suspend" costs' },
    });
    await expectDeterministicReplay(server.baseUrl, await server.token('supervisor1'), calls.F);

    // QA flags warn on A's and on B's replays... B never reached warn: its view 1 is check-eligibility.
    const seqAt = async (callId: string, step: string) =>
      (await getCall(server.baseUrl, await server.token('qa1'), callId)).events.find((e: any) => e.stateAfter === step).seq;
    const qaFlag = (callId: string, seq: number, reason = 'too-slow') =>
      http(server.baseUrl, 'POST', `/api/qa/calls/${callId}/flags`, { token: server.tokens.qa1, body: { reason, text: 'the warning is read twice', seq } });
    const q1 = await qaFlag(calls.A, await seqAt(calls.A, 'warn'));
    expect(q1.body).toMatchObject({ source: 'qa', flowId: SUSPEND, version: 2, stepId: 'warn', reason: 'too-slow', actor: 'qa1' });
    expect((await qaFlag(calls.C, await seqAt(calls.C, 'warn'), 'not-needed')).status).toBe(200);
    expect((await qaFlag(calls.A, await seqAt(calls.A, 'warn'))).body.code).toBe('INVALID_STATE');
    expect((await qaFlag(calls.A, 999)).status).toBe(404);
    expect(
      (await http(server.baseUrl, 'POST', `/api/qa/calls/${calls.A}/flags`, { token: server.tokens.agent1, body: { reason: 'other', text: '', seq: 1 } }))
        .status,
    ).toBe(403);

    await until(
      'facts of the flagged call',
      () => get('/api/metrics/summary'),
      (s) => s.calls === 5,
    );
    const backlog = await get(`/api/redesign/${SUSPEND}/backlog`, 'qa1');
    // warn: 2 QA flags (score 6); confirm-reason: the agent's flag (3); execute-failed: C's failure, the heat map's F (1).
    expect(backlog.entries.map((e: any) => [e.rank, e.stepId, e.status, e.version, e.evidence.flags, e.evidence.failures, e.evidence.score])).toEqual([
      [1, 'warn', 'open', 2, 2, 0, 6],
      [2, 'confirm-reason', 'open', 2, 1, 0, 3],
      [3, 'execute-failed', 'open', 2, 0, 1, 1],
    ]);
    expect(backlog.entries[0].reasons).toEqual([
      { reason: 'not-needed', count: 1 },
      { reason: 'too-slow', count: 1 },
    ]);
    // warn was visited by A, C and the flagged call (hung up there): 6 / 3.
    expect(backlog.entries[0].evidence).toMatchObject({ visits: 3, rate: 2 });
    // The quadrant says how urgent the business's backlog is: its point (as the evaluation endpoint
    // plots it) and its rank among the businesses with calls.
    const quadrant = await get('/api/evaluation/quadrant', 'qa1');
    const point = quadrant.points.find((p: { flowId: string }) => p.flowId === SUSPEND);
    expect(point).toMatchObject({ quadrant: 'fix-first', satisfaction: 60 });
    expect(backlog.priority).toEqual({ point, rank: 1, of: quadrant.points.length });
    expect((await get('/api/redesign/bill-inquiry/backlog', 'qa1')).priority).toMatchObject({ rank: 2, point: { flowId: 'bill-inquiry' } });
    expect((await get('/api/redesign/password-reset/backlog', 'qa1')).priority).toBeNull();
  });

  it('a newer published version: entries await its calls, then close where it moved the number and stay open where it did not', async () => {
    expect(await work.publishVersionWithoutUpsell()).toBe(3);
    const awaiting = await get(`/api/redesign/${SUSPEND}/backlog`);
    expect(awaiting.entries.map((e: any) => [e.stepId, e.status, e.newer])).toEqual([
      ['warn', 'awaiting-data', { version: 3, visits: 0, flags: 0, failures: 0, waitMs: 0, score: 0, rate: null }],
      ['confirm-reason', 'awaiting-data', { version: 3, visits: 0, flags: 0, failures: 0, waitMs: 0, score: 0, rate: null }],
      ['execute-failed', 'awaiting-data', { version: 3, visits: 0, flags: 0, failures: 0, waitMs: 0, score: 0, rate: null }],
    ]);
    // A call on v3, flagged at confirm-reason again: that step did not get better there.
    const d = await server.driver('agent2', 'en');
    await d.start('13800000012');
    await d.decideConfirming('continue', undefined, { expect: 'confirm-reason' });
    expect(
      (await http(server.baseUrl, 'POST', `/api/calls/${d.callId}/flags`, { token: await server.token('agent2'), body: { reason: 'wrong-order', text: '' } }))
        .body.version,
    ).toBe(3);
    await d.pushed('confirm-reason');
    await d.decideConfirming('continue', { reason: 'travel' }, { expect: 'warn' });
    await d.decideConfirming('acknowledged', undefined, { expect: 'verify' });
    await d.client.request('call.hangup', { callId: d.callId });
    await until(
      'facts of the v3 call',
      () => get('/api/metrics/summary'),
      (s) => s.calls === 6,
    );
    const after = await get(`/api/redesign/${SUSPEND}/backlog`);
    expect(after.entries.map((e: any) => [e.rank, e.stepId, e.status, e.version, e.evidence.score, e.newer?.rate ?? null])).toEqual([
      // confirm-reason's newest evidence is v3 itself (no newer version): open.
      [1, 'confirm-reason', 'open', 3, 3, null],
      // warn: visited on v3 without a flag (rate 2 → 0); execute-failed: v3's call never got there (no visits).
      [2, 'warn', 'closed', 2, 6, 0],
      [3, 'execute-failed', 'closed', 2, 1, null],
    ]);
  });

  it('the flags of a business, and who may read the backlog', async () => {
    const flags = await get(`/api/redesign/${SUSPEND}/flags`);
    expect(flags.map((f: any) => [f.source, f.stepId, f.version, f.reason, f.actor])).toEqual([
      ['agent', 'confirm-reason', 2, 'script-unclear', 'agent1'],
      ['qa', 'warn', 2, 'too-slow', 'qa1'],
      ['qa', 'warn', 2, 'not-needed', 'qa1'],
      ['agent', 'confirm-reason', 3, 'wrong-order', 'agent2'],
    ]);
    expect((await http(server.baseUrl, 'GET', `/api/redesign/${SUSPEND}/backlog`, { token: server.tokens.agent1 })).status).toBe(403);
    expect((await http(server.baseUrl, 'GET', '/api/redesign/no-such-flow/backlog', { token: server.tokens.supervisor1 })).status).toBe(404);
    expect((await http(server.baseUrl, 'GET', '/api/metrics/satisfaction', { token: server.tokens.agent1 })).status).toBe(403);
  });

  it("erasing the subscriber drops the survey answer's words but keeps its rating in the figures", async () => {
    const erased = await http(server.baseUrl, 'POST', '/api/erasures', { token: await server.token('supervisor1'), body: { msisdn: '13800000002' } });
    expect(erased.status).toBe(201);
    const [replies] = await storeSnapshot(server.dataDir, STATE);
    expect(replies.filter((r) => r.call_id === calls.B).map((r) => [r.message_id, Number(r.rating), r.answer])).toEqual([['ivr-1', 4, '']]);
    expect((await get('/api/metrics/satisfaction')).byChannel.find((c: any) => c.channel === 'ivr')).toEqual({
      channel: 'ivr',
      replies: 1,
      averageRating: 4,
      satisfiedRate: 1,
    });
  });

  it("a reply that comes before its call's facts are written counts once they are, and once only", async () => {
    const f = (replies: number, averageRating: number | null, satisfiedRate: number | null) => ({ replies, averageRating, satisfiedRate });
    const facts = async () => (await get('/api/metrics/summary')).calls as number;
    const written = await facts();
    // The end-of-call worker rests a minute (the most it may) after each batch of one call: the second call's facts wait.
    await server.restart({ env: { SURVEY_SECRET, END_OF_CALL_PAUSE_MS: '60000', END_OF_CALL_BATCH: '1' } });
    await work.completed('agent2', '13900000001', true);
    await until("the first call's facts", facts, (n) => n === written + 1);
    const late = await work.completed('agent2', '13900000001', true);
    const reply = await postSurveyReply(server.baseUrl, { messageId: 'ivr-late', channel: 'ivr', callerNumber: '13900000001', answer: '1', repliedAt: now() });
    expect(reply.body).toEqual({ messageId: 'ivr-late', channel: 'ivr', callId: late, rating: 1 });
    expect(await facts()).toBe(written + 1);
    // Stored, not yet counted: its call has no facts.
    expect((await get('/api/metrics/satisfaction')).total).toEqual(f(3, 3.67, 0.6667));
    await server.restart({ env: { SURVEY_SECRET } });
    await until("the late call's facts", facts, (n) => n === written + 2);
    const report = await get('/api/metrics/satisfaction');
    expect(report.total).toEqual(f(4, 3, 0.5));
    expect(report.byChannel.find((c: { channel: string }) => c.channel === 'ivr')).toEqual({ channel: 'ivr', ...f(2, 2.5, 0.5) });
    expect(report.byAgent.find((a: { agentId: string }) => a.agentId === 'agent2')).toEqual({ agentId: 'agent2', ...f(2, 2.5, 0.5) });
  });
});
