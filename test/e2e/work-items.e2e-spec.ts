/**
 * Work items over the real server (issue 20 items 1–2, docs/FOLLOW-UP.md): what a call promised is
 * raised by the end-of-call work as a tracked item — a complaint transferred to the complaints desk,
 * a failed suspension's work order — on the desk the service-level policy names, due by its rule;
 * the desk's agent sees it on the team list, it goes overdue under a shortened policy, is claimed,
 * resolved with a note, reopened; other desks and roles are refused; the caller's items are found by
 * number (for the next call's screen pop).
 */
import type { CustomerLookup } from '../../protocol/customers';
import type { OnTimeReport, WorkItem, WorkItemDetail, WorkItemList } from '../../protocol/work-items';
import { http } from '../support/client';
import { shortComplaintPolicy } from '../support/service-levels';
import { expectDeterministicReplay } from '../support/http';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

describe('work items: what a call promised, tracked by the desk that owns it', () => {
  const server = useServer(() => ({ users: ['agent1', 'agent2', 'supervisor1', 'qa1', 'admin1'], env: { SERVICE_LEVELS_FILE: shortComplaintPolicy(2) } }));
  const as = (user: string, method: string, url: string, body?: unknown) => http(server.baseUrl, method, url, { token: server.tokens[user], body });
  const list = async (user: string, query: string) => {
    const res = await as(user, 'GET', `/api/work-items?${query}`);
    expect(res.status).toBe(200);
    return (res.body as WorkItemList).items;
  };
  const itemsOfCall = (user: string, query: string, callId: string) =>
    until(
      `work items of ${callId}`,
      () => list(user, query),
      (items) => items.some((i) => i.callId === callId),
    ).then((items) => items.filter((i) => i.callId === callId));

  beforeAll(async () => {
    // agent2 works the complaints desk; agent1 is on no desk.
    const team = await as('admin1', 'POST', '/api/people/teams', { name: 'complaints-desk' });
    expect(team.status).toBe(200);
    await as('admin1', 'POST', '/api/people/teams', { name: 'back-office' });
    const users = (await as('admin1', 'GET', '/api/people/users')).body as { id: string; username: string }[];
    const agent2 = users.find((u) => u.username === 'agent2')!;
    expect((await as('admin1', 'PATCH', `/api/people/users/${agent2.id}`, { teamId: (team.body as { id: string }).id })).status).toBe(200);
  });

  let complaint: WorkItem;

  it('a complaint transferred to the desk appears on that desk’s list, due by the policy’s rule', async () => {
    const d = await server.driver('agent1');
    await d.start('13800000002', 'complaint');
    await d.decide('classify', { category: 'billing', summary: '上月账单多扣了20元' }, 'assess');
    await d.decide('transfer-to-specialist', undefined, 'transferring');
    await d.pushed('transfer-care');
    const end = await d.decide('handed-over', undefined, 'transferred');
    expect(end.data.status).toBe('completed');
    [complaint] = await itemsOfCall('agent2', 'scope=team', d.callId);
    expect(complaint).toMatchObject({
      type: 'transfer',
      status: 'open',
      desk: 'complaints-desk',
      assignee: null,
      business: 'complaint',
      callerNumber: '13800000002',
      customerTier: 'standard',
      rule: 'complaint',
      priority: 'normal',
      stepId: 'transferring',
      receiptId: expect.stringMatching(/^TRANSFER-DESK-/),
    });
    expect(Date.parse(complaint.dueAt) - Date.parse(complaint.createdAt)).toBe(2000);
    const detail = (await as('agent2', 'GET', `/api/work-items/${complaint.id}`)).body as WorkItemDetail;
    expect(detail.history).toEqual([expect.objectContaining({ actor: 'system:call', action: 'created', fromStatus: null, toStatus: 'open' })]);
  });

  it('goes overdue under the shortened policy, is listed first, and raises the live floor’s alert at its step', async () => {
    const items = await until(
      'the complaint overdue',
      () => list('agent2', 'scope=team'),
      (xs) => xs.some((i) => i.id === complaint.id && i.overdue),
    );
    expect(items[0]).toMatchObject({ id: complaint.id, overdue: true });
    const supervisor = await server.connect('supervisor1');
    const first = await supervisor.request('floor.subscribe');
    const alertOf = (data: { alerts: { kind: string }[] }) => data.alerts.find((a) => a.kind === 'work-items-overdue');
    const pushed = async () =>
      (await supervisor.next((f) => f.event === 'floor.snapshot' && f.data?.requestId === undefined && !!alertOf(f.data), 8000, 'the overdue alert')).data;
    const alert = alertOf(first.data) ?? alertOf(await pushed());
    expect(alert).toEqual({ kind: 'work-items-overdue', flowId: 'complaint', stepId: 'transferring', value: 1, threshold: 0, since: complaint.dueAt });
  });

  it('other desks, QA and admins cannot see or work it', async () => {
    expect((await list('agent1', 'scope=team')).some((i) => i.id === complaint.id)).toBe(false);
    expect((await as('agent1', 'GET', '/api/work-items?scope=desk&desk=complaints-desk')).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('agent1', 'POST', `/api/work-items/${complaint.id}/claim`)).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await as('qa1', 'GET', '/api/work-items?scope=team')).status).toBe(403);
    expect((await as('admin1', 'POST', `/api/work-items/${complaint.id}/claim`)).status).toBe(403);
    expect((await as('agent2', 'GET', '/api/work-items?scope=nobody')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as('agent2', 'POST', `/api/work-items/abc/claim`)).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('is claimed, refused resolution without a note, resolved with one, reopened — every change in its history', async () => {
    let res = await as('agent2', 'POST', `/api/work-items/${complaint.id}/claim`);
    expect(res.body).toMatchObject({ status: 'in-progress', assignee: expect.any(String) });
    expect((await list('agent2', 'scope=mine')).map((i) => i.id)).toContain(complaint.id);
    res = await as('agent2', 'POST', `/api/work-items/${complaint.id}/status`, { status: 'resolved' });
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    res = await as('agent2', 'POST', `/api/work-items/${complaint.id}/status`, { status: 'resolved', note: '已核实多收20元，退回账户' });
    expect(res.body).toMatchObject({ status: 'resolved', overdue: false });
    res = await as('agent2', 'POST', `/api/work-items/${complaint.id}/status`, { status: 'in-progress' });
    expect(res.body).toMatchObject({ code: 'INVALID_STATE', details: { status: 'resolved' } });
    expect((await list('agent2', 'scope=team')).some((i) => i.id === complaint.id)).toBe(false);
    expect((await list('agent2', 'scope=team&done=true')).some((i) => i.id === complaint.id)).toBe(true);
    res = await as('supervisor1', 'POST', `/api/work-items/${complaint.id}/status`, { status: 'open', note: '客户来电：退款未到账' });
    const reopened = res.body as WorkItemDetail;
    expect(reopened).toMatchObject({ status: 'open', assignee: null });
    expect(reopened.history.map((h) => [h.action, h.fromStatus, h.toStatus, h.note])).toEqual([
      ['created', null, 'open', expect.any(String)],
      ['claimed', 'open', 'in-progress', null],
      ['status', 'in-progress', 'resolved', '已核实多收20元，退回账户'],
      ['reopened', 'resolved', 'open', '客户来电：退款未到账'],
    ]);
    expect(reopened.history.map((h) => h.actor)).toEqual(['system:call', 'agent2', 'agent2', 'supervisor1']);
  });

  it('a failed suspension raises its work order on the back office, with the number read out to the caller; the supervisor sees every desk', async () => {
    const d = await server.driver('agent1');
    await d.suspensionFails('13800000005');
    await d.decide('retry', undefined, 'executing');
    await d.pushed('execute-failed');
    await d.decide('raise-ticket', undefined, 'raising-ticket');
    const end = await d.pushed('execution-failed');
    const receiptId = (end.data.outcomeDetail as { workOrder: { receiptId: string } }).workOrder.receiptId;
    const [order] = await itemsOfCall('supervisor1', 'scope=team', d.callId);
    expect(order).toMatchObject({ type: 'work-order', desk: 'back-office', business: 'suspend-service', receiptId, rule: 'default', status: 'open' });
    expect(Date.parse(order.dueAt) - Date.parse(order.createdAt)).toBe(48 * 3_600_000);
    expect((await list('supervisor1', 'scope=desk&desk=complaints-desk')).map((i) => i.id)).toContain(complaint.id);
  });

  it('the caller’s open items, for the agent on their next call, whichever desk has them', async () => {
    const items = await list('agent1', 'scope=caller&callerNumber=13800000002');
    expect(items.map((i) => [i.id, i.status, i.desk])).toEqual([[complaint.id, 'open', 'complaints-desk']]);
    expect(await list('agent1', 'scope=caller&callerNumber=13800000010')).toEqual([]);
  });

  it('the screen pop of the caller’s next call: their open item first, the complaint call, and the repeat-call mark', async () => {
    const pop = (await as('agent1', 'GET', '/api/customers/13800000002')).body as CustomerLookup;
    expect(pop.history.items).toEqual([
      { id: complaint.id, type: 'transfer', business: 'complaint', status: 'open', receiptId: complaint.receiptId, dueAt: complaint.dueAt, overdue: true },
    ]);
    expect(pop.history.recentCalls).toEqual([
      {
        callId: complaint.callId,
        startedAt: expect.any(String),
        agent: 'agent1',
        status: 'completed',
        outcome: 'transferred',
        businesses: [{ flowId: 'complaint', outcome: 'transferred' }],
      },
    ]);
    expect(pop.history.repeatOf).toEqual({ callId: complaint.callId, startedAt: pop.history.recentCalls[0].startedAt, flowIds: ['complaint'], fcrDays: 7 });
    const fresh = (await as('agent1', 'GET', '/api/customers/13800000010')).body as CustomerLookup;
    expect(fresh.history).toEqual({ recentCalls: [], items: [], repeatOf: null });
  });

  it('the dashboards’ on-time rate by business, desk and tier: overdue, then resolved late', async () => {
    const report = async () => {
      const res = await as('qa1', 'GET', '/api/work-items/on-time');
      expect(res.status).toBe(200);
      return res.body as OnTimeReport;
    };
    const row = (key: string, due: number, onTime: number, late: number, overdue: number, rate: number | null) => ({ key, due, onTime, late, overdue, rate });
    let r = await report();
    expect(r.byBusiness).toEqual([row('complaint', 1, 0, 0, 1, 0), row('suspend-service', 1, 0, 0, 0, null)]);
    expect(r.byDesk).toEqual([row('back-office', 1, 0, 0, 0, null), row('complaints-desk', 1, 0, 0, 1, 0)]);
    expect(r.byTier).toEqual([row('standard', 2, 0, 0, 1, 0)]);
    await as('agent2', 'POST', `/api/work-items/${complaint.id}/claim`);
    await as('agent2', 'POST', `/api/work-items/${complaint.id}/status`, { status: 'resolved', note: '退款已到账' });
    r = await report();
    expect(r.byBusiness[0]).toEqual(row('complaint', 1, 0, 1, 0, 0));
    expect((await as('agent1', 'GET', '/api/work-items/on-time')).status).toBe(403);
    expect((await as('qa1', 'GET', '/api/work-items/on-time?from=2026-13-01')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as('qa1', 'GET', '/api/work-items/on-time?from=2000-01-01&to=2000-01-31')).body).toEqual({
      from: '2000-01-01',
      to: '2000-02-01',
      byBusiness: [],
      byDesk: [],
      byTier: [],
    });
  });

  it('a callback scheduled on the complaint is its own item, made as an outbound call that opens with its context; the call’s end resolves it', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await as('agent2', 'POST', `/api/work-items/${complaint.id}/callback`, { at, flowId: 'bill-inquiry', note: '告知退款进度' });
    expect(scheduled.status).toBe(200);
    const callback = scheduled.body as WorkItemDetail;
    expect(callback).toMatchObject({
      type: 'callback',
      status: 'open',
      parentId: complaint.id,
      callbackFlowId: 'bill-inquiry',
      callbackNote: '告知退款进度',
      desk: 'complaints-desk',
      assignee: expect.any(String),
      callerNumber: '13800000002',
      business: 'complaint',
      callId: complaint.callId,
      dueAt: at,
      rule: 'scheduled-callback',
      outboundCallId: null,
    });
    expect(callback.sourceSeq).toBeLessThan(0);
    const parent = (await as('agent2', 'GET', `/api/work-items/${complaint.id}`)).body as WorkItemDetail;
    expect(parent.history.at(-1)).toMatchObject({ action: 'callback-scheduled', actor: 'agent2', note: `callback due ${at} on bill-inquiry: 告知退款进度` });

    // Bad requests change nothing.
    const refused = async (user: string, id: number, body: unknown, code: string) =>
      expect((await as(user, 'POST', `/api/work-items/${id}/callback`, body)).body).toMatchObject({ code });
    await refused('agent2', complaint.id, { at: '2000-01-01T00:00:00Z', flowId: 'bill-inquiry' }, 'VALIDATION_FAILED');
    await refused('agent2', complaint.id, { at, flowId: 'hang-up' }, 'VALIDATION_FAILED');
    await refused('agent2', complaint.id, { at, flowId: 'no-such-flow' }, 'VALIDATION_FAILED');
    await refused('agent2', complaint.id, { at: 'tomorrow', flowId: 'bill-inquiry' }, 'VALIDATION_FAILED');
    await refused('agent1', complaint.id, { at, flowId: 'bill-inquiry' }, 'NOT_FOUND');
    await refused('agent2', callback.id, { at, flowId: 'bill-inquiry' }, 'INVALID_STATE');
    expect((await list('agent2', 'scope=caller&callerNumber=13800000002')).filter((i) => i.type === 'callback')).toHaveLength(1);

    // Only the callback's number and flow, only by its desk.
    const wrong = await server.connect('agent2');
    const reply = async (user: 'agent1' | 'agent2', msg: Record<string, unknown>) =>
      (user === 'agent2' ? wrong : await server.connect(user)).request('call.start', {
        callerNumber: '13800000002',
        flowId: 'bill-inquiry',
        workItemId: callback.id,
        ...msg,
      });
    expect((await reply('agent2', { callerNumber: '13800000003' })).data).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await reply('agent2', { flowId: 'complaint' })).data).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await reply('agent2', { workItemId: complaint.id })).data).toMatchObject({ code: 'INVALID_STATE' });
    expect((await reply('agent1', {})).data).toMatchObject({ code: 'NOT_FOUND' });

    const d = await server.driver('agent2');
    const first = await d.start('13800000002', 'bill-inquiry', { workItemId: callback.id });
    expect(first.data.callback).toEqual({
      workItemId: callback.id,
      about: { itemId: complaint.id, type: 'transfer', business: 'complaint', receiptId: complaint.receiptId, callId: complaint.callId },
      note: '告知退款进度',
      dueAt: at,
    });
    let made = (await as('agent2', 'GET', `/api/work-items/${callback.id}`)).body as WorkItemDetail;
    expect(made).toMatchObject({ status: 'in-progress', outboundCallId: d.callId });
    expect(made.history.at(-1)).toMatchObject({ action: 'called', actor: 'agent2', toStatus: 'in-progress', note: `outbound call ${d.callId}` });

    await d.pushed('no-bill');
    await d.decide('continue', undefined, 'next-need');
    await d.decide('done', undefined, 'close');
    const end = await d.decide('submit');
    expect(end.data).toMatchObject({ status: 'completed', callback: { workItemId: callback.id } });
    made = await until(
      'the callback resolved by its call',
      async () => (await as('agent2', 'GET', `/api/work-items/${callback.id}`)).body as WorkItemDetail,
      (item) => item.status === 'resolved',
    );
    expect(made.history.at(-1)).toMatchObject({
      actor: 'system:call',
      action: 'status',
      fromStatus: 'in-progress',
      toStatus: 'resolved',
      note: `called back on call ${d.callId}: completed`,
    });
    // Made once: the resolved callback cannot be dialled again; the call replays as it happened.
    expect((await reply('agent2', {})).data).toMatchObject({ code: 'INVALID_STATE' });
    await expectDeterministicReplay(server.baseUrl, server.tokens.supervisor1, d.callId);
  });
});
