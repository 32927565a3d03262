/**
 * The agent screen in a real (headless Debian) Chromium against a real server: a call survives a
 * dropped WebSocket, a reload and a locale switch at the same step and seq, and re-shown views are
 * not timed as new renders. Screenshots in docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { byTestId, textOf, until, waitForAttr } from '../support/browser';
import { callAtStep, currentStep, driveByMouse, expectReplayOf, offerIds, promptStates, waitForStep, waitForSummary } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';

const HAPPY = '13800000001';
/** How long the view has been on screen before it is shown again. */
const SINCE_ARRIVAL_MS = 300;

/**
 * Records every connection state the header shows, in the page (the reconnecting state lasts ~200 ms:
 * a waitFor for it sent from here can arrive after it ended, if this process is held up that long).
 */
async function recordStates(page: Page): Promise<() => Promise<{ state: string; at: number }[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __states: { state: string; at: number }[] };
    w.__states = [];
    const read = () => document.querySelector<HTMLElement>('[data-testid="connection-status"]')?.dataset.state ?? 'none';
    const note = () => {
      const state = read();
      if (w.__states[w.__states.length - 1]?.state !== state) w.__states.push({ state, at: performance.now() });
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { __states: { state: string; at: number }[] }).__states);
}

describe('agent screen (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite();
  const agentAtStep = async (stepId: string, reason?: string) => callAtStep(await openAs('agent1'), stepId, reason);

  it('a dropped WebSocket reconnects to the same step and seq, and the call finishes', async () => {
    const page = await agentAtStep('warn');
    const before = (await currentStep(page))!;
    await page
      .locator(`${byTestId('step')} ${byTestId('prompt')}`)
      .first()
      .click();

    // Record every connection state the header shows (the reconnecting state can be brief).
    const states = await recordStates(page);

    // Drop; try to catch the "reconnecting" header on screen (a few attempts: it lasts ~200 ms).
    let caught = false;
    for (let attempt = 0; attempt < 3 && !caught; attempt++) {
      const from = (await states()).length;
      await page.evaluate(() => window.__laihua.dropConnection());
      await until('the reconnecting state', states, (seen) => seen.slice(from).some((x) => x.state === 'reconnecting'));
      await screenshot(page, '08-reconnecting');
      const shotDone = await page.evaluate(() => performance.now());
      await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');
      const seen = (await states()).slice(from);
      expect(seen.map((s) => s.state)).toEqual(['reconnecting', 'online']);
      caught = seen[1].at > shotDone;
    }
    // eslint-disable-next-line no-console -- a note on the screenshot, not a failure
    if (!caught) console.warn('[browser] 08-reconnecting.png may show the header already back online');

    const after = await waitForStep(page, 'warn', { seq: before.seq });
    expect(after).toEqual(before);
    expect(await page.locator(byTestId('error')).isHidden()).toBe(true);
    expect(await promptStates(page)).toEqual({ 'effective-immediately': true, 'plan-fee-charged': false, 'how-to-resume': false });

    await driveByMouse(page);
    await waitForSummary(page, 'completed');
    await expectReplayOf(server.baseUrl, page, 'completed');
  });

  // A re-show of the same view (reconnect, locale switch) must not be timed as a new arrival: timed from
  // the view's first arrival it would count the 300 ms waited below. How fast a render is, is the
  // bench's and agent-screen.browser-spec's business (a median of 16.4 ms on a loaded CI box failed a
  // "< 16 ms" here once, with nothing wrong).
  it('a re-show after a reconnect and a locale switch is not timed as a new arrival', async () => {
    const page = await agentAtStep('warn');
    const from = await page.evaluate(() => window.__laihua.renders.length);
    await page.waitForTimeout(SINCE_ARRIVAL_MS);
    const states = await recordStates(page);
    await page.evaluate(() => window.__laihua.dropConnection());
    await until('the reconnecting state', states, (seen) => seen.some((x) => x.state === 'reconnecting'));
    await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');
    await page.locator(byTestId('locale-switch')).click();
    await until(
      'the English step title',
      () => textOf(page, 'step-title'),
      (t) => t === 'Warn before suspending',
    );
    await page.waitForTimeout(300);
    const samples = await page.evaluate((n) => window.__laihua.renders.slice(n).map((r) => ({ ...r })), from);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((r) => r.renderMs >= SINCE_ARRIVAL_MS)).toEqual([]);
  });

  it('a reload mid-call resumes at the same step and seq with the customer card, and the call finishes', async () => {
    const page = await agentAtStep('upsell');
    const before = (await currentStep(page))!;

    await page.reload();
    await page.locator(byTestId('call-screen')).waitFor();
    const after = await waitForStep(page, 'upsell', { seq: before.seq });
    expect(after).toEqual(before);
    await page.locator(byTestId('customer-card', `[data-msisdn="${HAPPY}"]`)).waitFor();
    expect(await textOf(page, 'customer-name')).toBe('张伟');
    expect(await page.locator(byTestId('flow-chooser')).count()).toBe(0);
    expect(await offerIds(page)).toEqual(['two-cities-one-home', 'holiday-plan', 'one-card-two-numbers']);
    expect(await page.locator(byTestId('progress-step', '[data-step-id="upsell"]')).getAttribute('data-state')).toBe('current');
    await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');

    await driveByMouse(page);
    await waitForSummary(page, 'completed');
    await expectReplayOf(server.baseUrl, page, 'completed');
  });

  it('switching the locale mid-call re-renders the step in English and back', async () => {
    const page = await agentAtStep('warn');
    const before = (await currentStep(page))!;
    await page
      .locator(`${byTestId('step')} ${byTestId('prompt')}`)
      .first()
      .click();
    const sw = page.locator(byTestId('locale-switch'));
    const title = () => textOf(page, 'step-title');
    expect(await sw.getAttribute('data-locale')).toBe('zh-CN');
    expect(await title()).toBe('提醒停机注意事项');

    await sw.click();
    await waitForAttr(sw, 'data-locale', 'en');
    await until('the English step title', title, (t) => t === 'Warn before suspending');
    await waitForAttr(page.locator(byTestId('connection-status')), 'data-state', 'online');
    expect(await currentStep(page)).toEqual(before);
    expect(await textOf(page, 'option', '[data-option-id="acknowledged"]')).toContain('Customer understood');
    expect(await textOf(page, 'customer-brand')).toBe('GoTone');
    expect(await promptStates(page)).toEqual({ 'effective-immediately': true, 'plan-fee-charged': false, 'how-to-resume': false });
    await screenshot(page, '10-english-step');
    await expectAccessible(page, 'agent: care prompts step (en)');

    await sw.click();
    await waitForAttr(sw, 'data-locale', 'zh-CN');
    await until('the Chinese step title', title, (t) => t === '提醒停机注意事项');
    expect(await currentStep(page)).toEqual(before);
    expect(await textOf(page, 'customer-brand')).toBe('全球通');
  });
});
