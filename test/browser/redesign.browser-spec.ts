/**
 * Step flags, the redesign backlog and the satisfaction widget in real Chromium (issue 21 items 2
 * and 4, docs/REDESIGN.md, docs/SATISFACTION.md): agent1 flags the step of a live call from the call
 * screen (the call stays in the step, its log has the flag); qa1 sees the flag in the replay and
 * flags the same step from it; the supervisor's backlog page ranks the step first with both flags;
 * a signed SMS reply to the call shows in the dashboard's satisfaction widget. Screenshots, axe.
 */
import { byTestId, until, waitForAttr } from '../support/browser';
import { callAtStep, savedCall, waitForStep, waitForSummary } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { getCall, http, login } from '../support/client';
import { tableRows } from '../support/dashboard-page';
import { postSurveyReply, SURVEY_SECRET } from '../support/survey';

describe('step flags, the redesign backlog and satisfaction (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({ users: ['agent1', 'supervisor1', 'qa1'], env: { SURVEY_SECRET } });
  let callId = '';

  it('agent1 flags the step on screen: the call stays there, a step.flag is in its log', async () => {
    const page = await callAtStep(await openAs('agent1'), 'confirm-reason');
    const before = await waitForStep(page, 'confirm-reason');
    await page.locator(byTestId('flag-step-open')).click();
    await page.locator(byTestId('flag-step-reason')).selectOption('script-unclear');
    await page.locator(byTestId('flag-step-text')).fill('客户常问停机是否收费');
    await screenshot(page, '64-agent-flag-step');
    await expectAccessible(page, 'agent: flag the step (zh-CN)');
    await page.locator(byTestId('flag-step-send')).click();
    await waitForAttr(page.locator(byTestId('flag-step-status')), 'data-state', 'sent');
    expect(await page.locator(byTestId('flag-step-status')).innerText()).toBe('已记录：感谢反馈，流程设计人员会看到。');
    // The flag is a call event: the same step comes back at the next view.
    await waitForStep(page, 'confirm-reason', { afterSeq: before.seq });
    callId = (await savedCall(page)).callId;
    await page.locator(byTestId('hangup')).click();
    await waitForSummary(page, 'abandoned');
    const log = await getCall(server.baseUrl, await login(server.baseUrl, 'supervisor1'), callId);
    expect(log.events.filter((e: any) => e.type === 'step.flag').map((e: any) => [e.stateAfter, e.payload.reason])).toEqual([
      ['confirm-reason', 'script-unclear'],
    ]);
  });

  it('qa1 sees the flag in the replay and flags the step from there', async () => {
    const page = await openAs('qa1');
    await page.locator(byTestId('locale-switch')).click();
    await page.locator(byTestId('locale-switch', '[data-locale="en"]')).waitFor();
    await page.locator(byTestId('role-home', '[data-view="finder"]')).waitFor();
    await page.locator(byTestId('qa-call-id')).fill(callId);
    await page.locator(byTestId('qa-look-up')).click();
    await page.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
    await page.locator(byTestId('qa-step', '[data-step-id="confirm-reason"]')).first().click();
    await waitForAttr(page.locator(byTestId('qa-action')), 'data-type', 'step.flag');
    expect(await page.locator(byTestId('qa-action')).innerText()).toContain('The agent flagged this step: Script unclear');
    await page.locator(byTestId('qa-flag-open')).click();
    await page.locator(byTestId('qa-flag-reason')).selectOption('wrong-order');
    await page.locator(byTestId('qa-flag-text')).fill('Ask the reason before the warning');
    await page.locator(byTestId('qa-flag-send')).click();
    await waitForAttr(page.locator(byTestId('qa-flag-status')), 'data-state', 'sent');
    await screenshot(page, '65-qa-flag-step');
    await expectAccessible(page, 'QA replay: the agent’s flag and a QA flag (en)');
  });

  it("the supervisor's backlog ranks the flagged step; the dashboard shows the call's satisfaction reply", async () => {
    const reply = await postSurveyReply(server.baseUrl, {
      messageId: 'mo-browser-1',
      channel: 'sms',
      callerNumber: '13800000001',
      answer: '4',
      repliedAt: new Date().toISOString(),
    });
    expect(reply.body).toMatchObject({ callId, rating: 4 });
    const page = await openAs('supervisor1');
    await page.locator(byTestId('open-metrics')).click();
    await page.locator(byTestId('metrics-page')).waitFor();
    const section = page.locator(byTestId('metrics-satisfaction-section'));
    await until(
      'the satisfaction of the call',
      async () => (await section.getAttribute('data-state')) === 'ready' && (await tableRows(page, 'satisfaction-business')),
      (rows) => Array.isArray(rows) && rows.length === 1,
    );
    expect((await tableRows(page, 'satisfaction-business')).map((r) => [r.attrs.flowId, r.values])).toEqual([
      ['suspend-service', { replies: 1, averageRating: 4, satisfiedRate: 1 }],
    ]);
    // The call's path through suspend-service: the flag did not make confirm-reason a second visit.
    expect((await tableRows(page, 'satisfaction-path')).map((r) => [r.attrs.flowId, r.attrs.path, r.values.replies])).toEqual([
      ['suspend-service', 'check-eligibility>confirm-reason', 1],
    ]);
    expect((await tableRows(page, 'satisfaction-version')).map((r) => [r.attrs.flowId, r.attrs.version])).toEqual([['suspend-service', '2']]);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, '66-dashboard-satisfaction');

    await page.locator(byTestId('nav-backlog')).click();
    await page.locator(byTestId('backlog-page')).waitFor();
    await page.locator(byTestId('backlog-flow')).selectOption('suspend-service');
    const rows = await until(
      'the backlog of suspend-service',
      () => tableRows(page, 'backlog-table'),
      (r) => r.length > 0,
    );
    // Both flags on confirm-reason (3 each): the first and only entry, open.
    expect(rows.map((r) => [r.attrs.rank, r.attrs.stepId, r.attrs.status, r.values.flags, r.values.score])).toEqual([['1', 'confirm-reason', 'open', 2, 6]]);
    // The quadrant's verdict on the business, as the backlog endpoint gives it.
    const { priority } = (await http(server.baseUrl, 'GET', '/api/redesign/suspend-service/backlog', { token: await server.token('supervisor1') })).body;
    const line = page.locator(byTestId('backlog-priority'));
    expect(await line.getAttribute('data-quadrant')).toBe(priority?.point.quadrant ?? '');
    expect(await line.innerText()).toContain(priority ? `改进优先级：第 ${priority.rank} / ${priority.of}` : '该业务尚无来话');
    await screenshot(page, '67-redesign-backlog');
    await expectAccessible(page, 'redesign backlog (zh-CN)');
    await page.locator(byTestId('locale-switch')).click();
    await page.locator(byTestId('locale-switch', '[data-locale="en"]')).waitFor();
    await page.locator(byTestId('backlog-table')).waitFor();
    expect(await page.locator(byTestId('backlog-table-row')).first().innerText()).toContain('Script unclear ×1, Wrong order ×1');
    await expectAccessible(page, 'redesign backlog (en)');
  });
});
