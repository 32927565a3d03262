/**
 * The worklist in a real browser (issue 20 item 2): a complaint transferred on agent1's call lands on
 * the complaints desk; agent2, who works that desk, sees it overdue under a shortened policy, claims
 * it, is refused resolving it without a note, resolves it with one, and reads its history; then schedules
 * a callback on it and makes it from the worklist (the call screen shows what the call follows up).
 */
import type { WorkItemList } from '../../protocol/work-items';
import { byTestId, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/client';
import { shortComplaintPolicy } from '../support/service-levels';
import { until } from '../support/poll';

describe('worklist (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite(() => ({
    users: ['admin1', 'agent1', 'agent2', 'supervisor1'],
    env: { SERVICE_LEVELS_FILE: shortComplaintPolicy(1) },
  }));
  const as = (user: string, method: string, url: string, body?: unknown) => http(server.baseUrl, method, url, { token: server.tokens[user], body });

  it('the desk’s agent sees the transferred complaint overdue, claims it, resolves it with a note, reads its history', async () => {
    const team = (await as('admin1', 'POST', '/api/people/teams', { name: 'complaints-desk' })).body as { id: string };
    const users = (await as('admin1', 'GET', '/api/people/users')).body as { id: string; username: string }[];
    await as('admin1', 'PATCH', `/api/people/users/${users.find((u) => u.username === 'agent2')!.id}`, { teamId: team.id });

    const d = await server.driver('agent1');
    await d.start('13800000002', 'complaint');
    await d.decide('classify', { category: 'billing', summary: '上月账单多扣了20元' }, 'assess');
    await d.decide('transfer-to-specialist', undefined, 'transferring');
    await d.pushed('transfer-care');
    await d.decide('handed-over', undefined, 'transferred');
    const items = await until(
      'the transfer overdue on the desk',
      async () => ((await as('agent2', 'GET', '/api/work-items?scope=team')).body as WorkItemList).items,
      (xs) => xs.some((i) => i.callId === d.callId && i.overdue),
    );
    const id = items.find((i) => i.callId === d.callId)!.id;

    const page = await openAs('agent2');
    await page.locator(byTestId('worklist-link')).click();
    await waitForAttr(page.locator(byTestId('worklist')), 'data-state', 'ready');
    const row = page.locator(byTestId('wi-row', `[data-id="${id}"]`));
    expect(await row.getAttribute('data-overdue')).toBe('true');
    expect(await row.innerText()).toContain('转专席');
    expect(await row.innerText()).toContain('投诉');
    expect(await row.innerText()).toContain('138****0002');
    await screenshot(page, '40-worklist-overdue');
    await expectAccessible(page, 'worklist with an overdue transfer (zh-CN)');

    await row.locator(byTestId('wi-claim')).click();
    await waitForAttr(page.locator(byTestId('wi-row', `[data-id="${id}"]`)), 'data-status', 'in-progress');
    // No note: refused, nothing changes.
    await page
      .locator(byTestId('wi-row', `[data-id="${id}"]`))
      .locator(byTestId('wi-resolve'))
      .click();
    await waitForAttr(page.locator(byTestId('worklist')), 'data-state', 'ready');
    expect(await page.locator(byTestId('worklist-error')).innerText()).not.toBe('');
    expect(await page.locator(byTestId('wi-row', `[data-id="${id}"]`)).getAttribute('data-status')).toBe('in-progress');

    await page
      .locator(byTestId('wi-row', `[data-id="${id}"]`))
      .locator(byTestId('wi-note'))
      .fill('已核实多收20元，退回账户');
    await page
      .locator(byTestId('wi-row', `[data-id="${id}"]`))
      .locator(byTestId('wi-resolve'))
      .click();
    await until(
      'the row gone from the to-do list',
      () => page.locator(byTestId('wi-row', `[data-id="${id}"]`)).count(),
      (n) => n === 0,
    );
    await page.locator(byTestId('worklist-done')).check();
    await waitForAttr(page.locator(byTestId('wi-row', `[data-id="${id}"]`)), 'data-status', 'resolved');
    await page
      .locator(byTestId('wi-row', `[data-id="${id}"]`))
      .locator(byTestId('wi-open'))
      .click();
    const history = page.locator(byTestId('wi-history'));
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toContain('来电生成');
    expect(text).toContain('认领');
    expect(text).toContain('已核实多收20元，退回账户');
    await screenshot(page, '41-worklist-resolved-history');
    await expectAccessible(page, 'worklist with a resolved item and its history (zh-CN)');
  });

  it('the caller’s next call pops their history: the repeat mark, the item they wait for, the earlier call', async () => {
    const page = await openAs('agent1');
    await page.locator(byTestId('call-screen')).waitFor();
    await page.locator(byTestId('caller-number')).fill('13800000002');
    await page.locator(byTestId('caller-number')).press('Enter');
    const card = page.locator(byTestId('customer-card', '[data-msisdn="13800000002"]'));
    await card.waitFor();
    await card.locator(byTestId('repeat-call')).waitFor();
    expect(await card.locator(byTestId('repeat-call')).innerText()).toContain('重复来电');
    expect(await card.locator(byTestId('history-item')).count()).toBe(1);
    expect(await card.locator(byTestId('history-item')).innerText()).toContain('转专席');
    expect(await card.locator(byTestId('history-call')).innerText()).toContain('agent1');
    await screenshot(page, '42-screen-pop-history');
    await expectAccessible(page, 'screen pop with the caller history (zh-CN)');
  });

  it('the dashboards show the complaint resolved late on the on-time tables, by business, desk and tier', async () => {
    const page = await openAs('supervisor1');
    await page.locator(byTestId('open-metrics')).click();
    const section = page.locator(byTestId('metrics-on-time-section'));
    await waitForAttr(section, 'data-state', 'ready');
    const complaintRow = page.locator(byTestId('on-time-business')).locator('tr[data-key="complaint"]');
    expect(await complaintRow.locator('[data-key="due"]').innerText()).toBe('1');
    expect(await complaintRow.locator('[data-key="late"]').innerText()).toBe('1');
    expect(await complaintRow.locator('[data-key="rate"]').innerText()).toBe('0.0%');
    expect(await page.locator(byTestId('on-time-desk')).locator('tr[data-key="complaints-desk"]').count()).toBe(1);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, '43-dashboard-on-time');
    await expectAccessible(page, 'dashboards with the on-time rate (zh-CN)');
  });

  it('a callback scheduled from the worklist is made from it: the call screen opens on the caller with what the call follows up', async () => {
    const page = await openAs('agent2');
    await page.locator(byTestId('worklist-link')).click();
    await waitForAttr(page.locator(byTestId('worklist')), 'data-state', 'ready');
    await page.locator(byTestId('worklist-done')).check();
    await waitForAttr(page.locator(byTestId('worklist')), 'data-state', 'ready');
    const transfer = page.locator(byTestId('wi-row', '[data-status="resolved"]')).first();
    await transfer.locator(byTestId('cb-schedule')).locator('summary').click();
    await transfer.locator(byTestId('cb-flow')).selectOption('bill-inquiry');
    await transfer.locator(byTestId('cb-note')).fill('告知退款到账情况');
    await screenshot(page, '44-worklist-schedule-callback');
    await expectAccessible(page, 'worklist scheduling a callback (zh-CN)');
    await transfer.locator(byTestId('cb-submit')).click();
    const callbackRow = page.locator(byTestId('wi-row', '[data-status="open"]'));
    await callbackRow.waitFor();
    expect(await callbackRow.innerText()).toContain('回访');

    await callbackRow.locator(byTestId('wi-call-back')).click();
    const banner = page.locator(byTestId('callback-banner'));
    await banner.waitFor();
    expect(await banner.innerText()).toContain('转专席');
    expect(await page.locator(byTestId('callback-note')).innerText()).toBe('告知退款到账情况');
    await page.locator(byTestId('customer-card', '[data-msisdn="13800000002"]')).waitFor();
    await screenshot(page, '45-outbound-callback-call');
    await expectAccessible(page, 'an outbound callback call (zh-CN)');
    const { items } = (await as('agent2', 'GET', '/api/work-items?scope=mine')).body as WorkItemList;
    expect(items.find((i) => i.type === 'callback')).toMatchObject({
      status: 'in-progress',
      outboundCallId: expect.any(String),
      callbackFlowId: 'bill-inquiry',
    });
  });
});
