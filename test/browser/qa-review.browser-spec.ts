/**
 * The QA reviewer's pages in real Chromium against the real server: calls are made over the
 * WebSocket first (a clean suspension and one whose agent skipped the warn prompts, by agent1; a
 * hotline bill inquiry by agent2). qa1 finds the skipping call by its failed check, exports the
 * results, steps through its replay (buttons and arrow keys), jumps from the check's finding to the
 * warn step, fills a scorecard (server validation shown by field), saves and revises it; agent1
 * reads it under "my scorecards" and opens the call read-only.
 */
import type { Page } from 'playwright-core';
import { allowConsoleErrors, byTestId, download, until, waitForAttr } from '../support/browser';
import { QaCalls, SUSPEND_STEPS, WARN_PROMPTS } from '../support/qa-calls';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/client';

const CARE = 'care-prompts-confirmed';

/** The step in the detail pane. */
const detailStep = (page: Page) => page.locator(byTestId('qa-step-detail')).getAttribute('data-step-id');
const waitForDetail = (page: Page, stepId: string) =>
  until(
    `detail at '${stepId}'`,
    () => detailStep(page),
    (id) => id === stepId,
  );
const rowIds = (page: Page) => page.locator(byTestId('qa-call-row')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.callId ?? ''));

describe('QA review pages (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({ users: ['agent1', 'agent2', 'qa1'] });
  const { tokens } = server;
  const qaCalls = new QaCalls(server);
  const calls: Record<string, string> = {};

  beforeAll(async () => {
    calls.good = await qaCalls.suspend('agent1', '13800000001');
    calls.skipped = await qaCalls.suspend('agent1', '13900000001', true);
    calls.hotline = await qaCalls.hotlineBillInquiry('agent2', '13800000012');
    // The checks are stored in the background once a call ends.
    await until(
      'the care-prompts check stored',
      async () => (await http(server.baseUrl, 'GET', `/api/qa/calls?failedCheck=${CARE}`, { token: tokens.qa1 })).body?.calls?.map((c: any) => c.id),
      (ids) => Array.isArray(ids) && ids.length === 1,
      10_000,
      100,
    );
  });

  it('qa1 finds the call by its failed check, exports it, steps through the replay, jumps to the finding, scores and revises', async () => {
    const page = await openAs('qa1');
    await page.locator(byTestId('role-home', '[data-role="qa"][data-view="finder"]')).waitFor();
    await until(
      'all 3 calls listed',
      () => rowIds(page),
      (ids) => ids.length === 3,
    );

    // Pages of 2: 3 calls → pages 1 and 2, together every call once.
    await page.locator(byTestId('qa-filter-pageSize')).fill('2');
    await page.locator(byTestId('qa-search')).click();
    await until(
      'page 1 of 2 rows',
      () => rowIds(page),
      (ids) => ids.length === 2,
    );
    expect(await page.locator(byTestId('qa-total')).getAttribute('data-total')).toBe('3');
    const page1 = await rowIds(page);
    await page.locator(byTestId('qa-next-page')).click();
    await waitForAttr(page.locator(byTestId('qa-page')), 'data-page', '2');
    const page2 = await rowIds(page);
    expect(new Set([...page1, ...page2])).toEqual(new Set([calls.good, calls.skipped, calls.hotline]));
    expect(await page.locator(byTestId('qa-next-page')).isDisabled()).toBe(true);
    await page.locator(byTestId('qa-prev-page')).click();
    await waitForAttr(page.locator(byTestId('qa-page')), 'data-page', '1');
    expect(await rowIds(page)).toEqual(page1);
    await page.locator(byTestId('qa-filter-pageSize')).fill('20');

    // Find by failed check → exactly the skipping call.
    await page.locator(byTestId('qa-filter-failedCheck')).selectOption(CARE);
    await page.locator(byTestId('qa-search')).click();
    await waitForAttr(page.locator(byTestId('qa-total')), 'data-total', '1');
    expect(await rowIds(page)).toEqual([calls.skipped]);
    // The failed check by its title, the id kept in data-check-id.
    expect(await page.locator(byTestId('qa-call-row')).locator(`[data-check-id="${CARE}"]`).innerText()).toBe('关怀提示逐条确认后再继续');
    await screenshot(page, '20-qa-find-calls');
    await expectAccessible(page, 'QA finder, filtered (zh-CN)');

    // Exports of the current filter, with the bearer token.
    const csv = (await download(page, 'qa-export-csv')).text.trim().split('\r\n');
    expect(csv[0]).toBe('id,agent,callerNumber,flowId,flowVersion,businesses,status,outcome,startedAt,endedAt,durationMs,failedChecks');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual([calls.skipped]);
    expect(csv[1]).toContain(CARE);
    const json = JSON.parse((await download(page, 'qa-export-json')).text);
    expect(json).toMatchObject({ total: 1, calls: [{ id: calls.skipped, agent: 'agent1', failedChecks: [CARE] }] });

    // One call → one page.
    expect(await page.locator(byTestId('qa-next-page')).isDisabled()).toBe(true);
    expect(await page.locator(byTestId('qa-prev-page')).isDisabled()).toBe(true);

    // Open the call: the timeline in order, verified.
    await page.locator(byTestId('qa-open-call')).click();
    await page.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
    expect(await page.locator(byTestId('qa-verification')).getAttribute('data-deterministic')).toBe('true');
    const steps = await page.locator(byTestId('qa-step')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.stepId));
    expect(steps).toEqual(SUSPEND_STEPS);
    const waits = await page.locator(byTestId('qa-step', '[data-wait="true"]')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.stepId));
    expect(waits).toEqual(['checking-password', 'executing']);
    if (await page.locator(byTestId('qa-chain')).count()) expect(await page.locator(byTestId('qa-chain')).getAttribute('data-intact')).toBe('true');

    // Step with Next / Prev and the arrow keys.
    await waitForDetail(page, 'check-eligibility');
    expect(await page.locator(byTestId('qa-prev-step')).isDisabled()).toBe(true);
    await page.locator(byTestId('qa-next-step')).click();
    await waitForDetail(page, 'confirm-reason');
    expect(await page.locator(`${byTestId('qa-inputs')} [data-input="reason"]`).count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await waitForDetail(page, 'warn');
    const prompts = await page
      .locator(byTestId('qa-prompt'))
      .evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.promptId, (e as HTMLElement).dataset.confirmed]));
    expect(prompts).toEqual(WARN_PROMPTS.map((id) => [id, 'false']));
    expect(await page.locator(byTestId('qa-option', '[data-chosen="true"]')).getAttribute('data-option-id')).toBe('acknowledged');
    await page.keyboard.press('ArrowLeft');
    await waitForDetail(page, 'confirm-reason');
    await page.locator(byTestId('qa-prev-step')).click();
    await waitForDetail(page, 'check-eligibility');
    for (const id of SUSPEND_STEPS.slice(1)) {
      await page.keyboard.press('ArrowRight');
      await waitForDetail(page, id);
      if (id === 'executing') {
        expect(await page.locator(byTestId('qa-action')).getAttribute('data-type')).toBe('backend.reply');
        expect(await page.locator(byTestId('qa-action')).getAttribute('data-operation')).toBe('executeSuspension');
        expect(await page.locator(byTestId('qa-action')).textContent()).toContain('办理停机');
      }
    }
    expect(await page.locator(byTestId('qa-next-step')).isDisabled()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await waitForDetail(page, 'completed');

    // The failed check's finding jumps to the warn step.
    const care = page.locator(byTestId('qa-check', `[data-check-id="${CARE}"]`));
    expect(await care.getAttribute('data-passed')).toBe('false');
    await care.locator(byTestId('qa-finding')).click();
    await waitForDetail(page, 'warn');
    expect(await page.locator(byTestId('qa-step', '[data-current="true"]')).getAttribute('data-step-id')).toBe('warn');
    await screenshot(page, '21-qa-replay-step');
    await expectAccessible(page, 'QA replay, warn step (zh-CN)');

    // Scorecard: compliance is pre-filled from the checks; the server's validation shows by field.
    allowConsoleErrors(page, /Failed to load resource: .*400 .*\/api\/qa\/calls\/[0-9a-f-]+\/scorecards/);
    const auto = Number(await page.locator(byTestId('qa-auto-compliance')).getAttribute('data-auto'));
    expect(auto).toBeLessThan(5);
    expect(Number(await page.locator(byTestId('qa-mark-compliance')).inputValue())).toBe(auto);
    await page.locator(byTestId('qa-mark-greeting')).fill('5');
    await page.locator(byTestId('qa-mark-compliance')).fill('5');
    await page.locator(byTestId('qa-save-scorecard')).click();
    await page.locator(byTestId('qa-scorecard-errors')).waitFor();
    expect(await page.locator(byTestId('qa-error-accuracy')).textContent()).toBe('必填');
    expect(await page.locator(byTestId('qa-error-compliance')).textContent()).toContain('理由');
    await expectAccessible(page, 'QA scorecard with field errors (zh-CN)');
    await page.locator(byTestId('qa-mark-compliance')).fill(String(auto));
    await page.locator(byTestId('qa-mark-accuracy')).fill('4');
    await page.locator(byTestId('qa-mark-empathy')).fill('4');
    await page.locator(byTestId('qa-comment-empathy')).fill('calm and clear');
    await page.locator(byTestId('qa-scorecard-comment')).fill('skipped the warnings');
    await page.locator(byTestId('qa-save-scorecard')).click();
    const result = page.locator(byTestId('qa-scorecard-result'));
    await waitForAttr(result, 'data-revision', '1');
    const first = Number(await result.getAttribute('data-total'));
    expect(first).toBeGreaterThan(0);
    expect(await page.locator(byTestId('qa-scorecard-errors')).isHidden()).toBe(true);
    await waitForAttr(page.locator(byTestId('qa-scorecard-item')), 'data-revision', '1');
    expect(await page.locator(byTestId('qa-scorecard-item')).locator(`[data-criterion-id="compliance"]`).getAttribute('data-source')).toBe('auto');

    // Revise: a PUT with revision 1 → revision 2, both kept.
    await page.locator(byTestId('qa-mark-accuracy')).fill('3');
    await page.locator(byTestId('qa-scorecard-comment')).fill('accuracy: promised a refund');
    await page.locator(byTestId('qa-save-scorecard')).click();
    await waitForAttr(result, 'data-revision', '2');
    expect(Number(await result.getAttribute('data-total'))).toBeLessThan(first);
    await waitForAttr(page.locator(byTestId('qa-scorecard-item')), 'data-revision', '2');
    expect(await page.locator(byTestId('qa-scorecard-revision')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.revision))).toEqual(['1', '2']);
    await page.locator(`${byTestId('qa-scorecard-item')} details summary`).click();
    await page.locator(byTestId('qa-scorecard')).scrollIntoViewIfNeeded();
    await screenshot(page, '22-qa-scorecard');
    await expectAccessible(page, 'QA scorecard saved, revision 2 (zh-CN)');

    // Back to the finder: the filter is kept.
    await page.locator(byTestId('qa-back')).click();
    await page.locator(byTestId('role-home', '[data-view="finder"]')).waitFor();
    await waitForAttr(page.locator(byTestId('qa-total')), 'data-total', '1');
    expect(await page.locator(byTestId('qa-filter-failedCheck')).inputValue()).toBe(CARE);
  });

  it('qa1 looks a hotline call up by id: one timeline across its businesses, in English', async () => {
    const page = await openAs('qa1');
    await page.locator(byTestId('locale-switch')).click();
    // The switch re-renders the page after a fetch: until the header says English, the finder on
    // screen is the old one and would be replaced under the typing.
    await page.locator(byTestId('locale-switch', '[data-locale="en"]')).waitFor();
    await page.locator(byTestId('role-home', '[data-view="finder"]')).waitFor();
    await expectAccessible(page, 'QA finder (en)');
    await page.locator(byTestId('qa-call-id')).fill(calls.hotline);
    await page.locator(byTestId('qa-look-up')).click();
    await page.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
    const segments = await page.locator(byTestId('qa-segment')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.flowId));
    expect(segments).toEqual(['enter-service', 'bill-inquiry', 'hang-up']);
    expect(await page.locator(byTestId('qa-business')).count()).toBe(3);
    expect(await page.locator(byTestId('qa-check', '[data-check-id="closing-words-reached"]')).getAttribute('data-passed')).toBe('true');
    await page.locator(byTestId('qa-step', '[data-step-id="explain-bill"]')).click();
    await waitForDetail(page, 'explain-bill');
    expect(await page.locator(byTestId('qa-detail-title')).textContent()).toMatch(/[A-Za-z]/);
    expect(await page.locator(byTestId('qa-scorecard')).getAttribute('data-mode')).toBe('new');
    await expectAccessible(page, 'QA replay of a hotline call, new scorecard (en)');
  });

  it('agent1 reads the scorecard under my scorecards and opens the call read-only', async () => {
    const page = await openAs('agent1');
    await page.locator(byTestId('my-scorecards-link')).click();
    await page.locator(byTestId('my-scorecards', '[data-state="ready"]')).waitFor();
    const rows = page.locator(byTestId('my-scorecard-row'));
    expect(await rows.count()).toBe(1);
    expect(await rows.getAttribute('data-call-id')).toBe(calls.skipped);
    expect(await rows.getAttribute('data-revision')).toBe('2');
    expect(await rows.textContent()).toContain('accuracy: promised a refund');
    await screenshot(page, '23-agent-my-scorecards');
    await expectAccessible(page, 'agent: my scorecards (zh-CN)');

    await page.locator(byTestId('my-scorecard-open')).click();
    await page.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
    expect(await page.locator(byTestId('qa-step')).count()).toBe(SUSPEND_STEPS.length);
    expect(await page.locator(byTestId('qa-scorecard')).getAttribute('data-read-only')).toBe('true');
    await waitForAttr(page.locator(byTestId('qa-scorecard-item')), 'data-revision', '2');
    expect(await page.locator(byTestId('qa-save-scorecard')).count()).toBe(0);
    await expectAccessible(page, 'agent: call replay, read-only scorecard (zh-CN)');

    // Back to the call screen.
    await page.locator(byTestId('back-to-calls')).click();
    await page.locator(byTestId('call-screen')).waitFor();
    await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');
  });
});
