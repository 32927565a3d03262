/**
 * The agent screen in a real (headless Debian) Chromium against a real server, by mouse: an offer
 * accepted, a customer not eligible, a bad input refused on the page, a decision the server refuses
 * (another tab answered first). Screenshots in docs/screenshots/.
 */
import type { WebSocketRoute } from 'playwright-core';
import { attrsOf, byTestId, focused, textOf, until, waitForFocus } from '../support/browser';
import {
  callAtStep,
  clickOption,
  currentStep,
  driveByMouse,
  expectReplayOf,
  offerIds,
  optionIds,
  optionsDisabled,
  popCustomer,
  promptStates,
  savedCall,
  sessionToken,
  startFlow,
  tickAllPrompts,
  waitForStep,
  waitForSummary,
} from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { WsClient } from '../support/client';

const HAPPY = '13800000001';
const ARREARS = '13800000002';
const WARN_PROMPTS = ['effective-immediately', 'plan-fee-charged', 'how-to-resume'];

describe('agent screen (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite();
  const agentAtStep = async (stepId: string, reason?: string) => callAtStep(await openAs('agent1'), stepId, reason);

  it('mouse: lost phone → replacement SIM offer accepted → the suspension converted, the call goes on in the replacement SIM', async () => {
    const page = await openAs('agent1');
    await popCustomer(page, HAPPY);
    let step = await startFlow(page, 'lost phone');
    await clickOption(page, 'continue');
    step = await waitForStep(page, 'confirm-reason', { afterSeq: step.seq });
    await page.locator(byTestId('input-reason')).selectOption('lost-phone');
    await clickOption(page, 'continue');

    step = await waitForStep(page, 'warn', { afterSeq: step.seq });
    expect(await optionsDisabled(page)).toEqual([true]);
    const prompts = page.locator(`${byTestId('step')} ${byTestId('prompt')}`);
    await prompts.nth(0).click();
    expect(await promptStates(page)).toEqual({ 'effective-immediately': true, 'plan-fee-charged': false, 'how-to-resume': false });
    expect(await optionsDisabled(page)).toEqual([true]);
    await prompts.nth(1).click();
    await prompts.nth(2).click();
    expect(await optionsDisabled(page)).toEqual([false]);
    await clickOption(page, 'acknowledged');

    step = await waitForStep(page, 'upsell', { afterSeq: step.seq });
    expect(await attrsOf(page, byTestId('mark'), 'data-mark')).toEqual(['M']);
    expect(await offerIds(page)).toEqual(['online-phone-purchase', 'replacement-sim']);
    await screenshot(page, '05-upsell-offers');
    await expectAccessible(page, 'agent: upsell offers (zh-CN)');

    // Accept without choosing an offer: told in plain words, nothing sent.
    await clickOption(page, 'accept');
    await page.locator(byTestId('step-error')).waitFor();
    expect(await textOf(page, 'step-error')).toBe('请选择客户接受的产品');
    expect((await currentStep(page))?.seq).toBe(step.seq);

    await page.locator(byTestId('offer', '[data-offer-id="replacement-sim"]')).click();
    expect(await page.locator(`${byTestId('offer', '[data-offer-id="replacement-sim"]')} input[type=radio]`).isChecked()).toBe(true);
    await clickOption(page, 'accept');

    // The offer's business opens on the same screen; the caller has no ID at hand.
    step = await waitForStep(page, 'check-eligibility', { afterSeq: step.seq });
    await clickOption(page, 'continue');
    step = await waitForStep(page, 'warn', { afterSeq: step.seq });
    await tickAllPrompts(page);
    await clickOption(page, 'acknowledged');
    await waitForStep(page, 'verify-document', { afterSeq: step.seq });
    await clickOption(page, 'no-document');

    await waitForSummary(page, 'referred-to-shop');
    expect(await textOf(page, 'summary-outcome')).toBe('引导到营业厅');
    expect(await attrsOf(page, byTestId('summary-business'), 'data-flow-id')).toEqual(['suspend-service', 'sim-replacement']);
    expect(await attrsOf(page, byTestId('summary-business'), 'data-outcome')).toEqual(['converted', 'referred-to-shop']);
    expect(await attrsOf(page, byTestId('summary-offered'), 'data-offer-id')).toEqual(['online-phone-purchase', 'replacement-sim']);
    expect(await attrsOf(page, byTestId('summary-reminder'), 'data-prompt-id')).toEqual([
      ...WARN_PROMPTS,
      'old-sim-stops',
      'contacts-lost',
      'fee',
      'lost-phone-suspend',
    ]);
    await expectReplayOf(server.baseUrl, page, 'referred-to-shop');
  });

  it('not eligible: arrears badge, one failing rule, the only way out is "not eligible"', async () => {
    const page = await openAs('agent1');
    await popCustomer(page, ARREARS);
    await page.locator(byTestId('flow-search')).fill('停机'); // badges follow the business being chosen
    const eligible = page.locator(byTestId('customer-badge', '[data-badge="eligible"]'));
    expect(await eligible.getAttribute('data-passed')).toBe('false');
    expect(await eligible.innerText()).toContain('无欠费');
    expect(await page.locator(byTestId('customer-badge', '[data-badge="arrears"]')).getAttribute('data-passed')).toBe('false');
    expect(await textOf(page, 'customer-arrears')).toBe('¥58.5');

    const step = await startFlow(page);
    expect(await optionIds(page)).toEqual(['end-not-eligible']);
    const checks = await page
      .locator(byTestId('rule-check'))
      .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.checkId, (e as HTMLElement).dataset.passed])));
    expect(checks).toEqual({ 'line-active': 'true', 'no-arrears': 'false', 'real-name': 'true' });
    expect(await textOf(page, 'rule-check', '[data-check-id="no-arrears"]')).toContain('58.5');
    await waitForFocus(page, 'option:end-not-eligible');

    await clickOption(page, 'end-not-eligible');
    await waitForStep(page, 'not-eligible', { afterSeq: step.seq });
    await waitForSummary(page, 'not-eligible');
    expect(await textOf(page, 'summary-outcome')).toBe('不符合条件');
    expect(await page.locator(byTestId('options')).count()).toBe(0);
    // An ended call has no current step in the progress strip.
    expect(await attrsOf(page, byTestId('progress-step'), 'data-state')).not.toContain('current');
    await screenshot(page, '07-not-eligible', { fullPage: true });
    await expectAccessible(page, 'agent: not eligible summary (zh-CN)');
    await expectReplayOf(server.baseUrl, page, 'not-eligible');
  });

  it('a bad ID number is refused on the page in plain words, before anything is sent', async () => {
    const page = await agentAtStep('verify');
    const before = (await currentStep(page))!;
    const field = page.locator(byTestId('input-idLast4'));
    const error = page.locator(byTestId('input-error-idLast4'));

    await field.fill('12');
    await clickOption(page, 'id-document');
    await until(
      'the idLast4 error',
      () => error.innerText(),
      (t) => t !== '',
    );
    expect(await error.innerText()).toBe('需为4位数字');
    expect(await focused(page)).toBe('input-idLast4');
    await screenshot(page, '12-input-error');
    await expectAccessible(page, 'agent: input refused on the page (zh-CN)');

    await field.fill('12ab');
    await clickOption(page, 'id-document');
    await until(
      'the idLast4 error',
      () => error.innerText(),
      (t) => t === '只能输入数字',
    );

    expect(await currentStep(page)).toEqual(before);
    expect(await page.locator(byTestId('error')).isHidden()).toBe(true);

    await field.fill('1234');
    await clickOption(page, 'id-document');
    await waitForStep(page, 'execute', { afterSeq: before.seq });
  });

  it('a decision the server refuses (another tab answered first) shows the error banner and the current step', async () => {
    // Hold back the server's pushes to this tab, as a slow network would, so it answers a step
    // that was already answered elsewhere (STALE_SEQ).
    let holdPushes = false;
    const held: string[] = [];
    const proxy = (ws: WebSocketRoute) => {
      const upstream = ws.connectToServer();
      ws.onMessage((m) => upstream.send(m));
      upstream.onMessage((m) => {
        const frame = JSON.parse(String(m));
        if (holdPushes && frame.event === 'call.view' && !frame.data?.requestId) held.push(String(m));
        else ws.send(m);
      });
    };
    const page = await openAs('agent1', { beforeGoto: (p) => p.routeWebSocket(/\/ws(\?|$)/, proxy) });
    await popCustomer(page, HAPPY);
    await startFlow(page);
    await driveByMouse(page, { until: 'warn' });
    const before = (await waitForStep(page, 'warn'))!;
    const { callId } = await savedCall(page);

    const other = await WsClient.connect(server.port, await sessionToken(page));
    try {
      await other.request('call.attach', { callId });
      holdPushes = true;
      const answered = await other.request('call.decide', {
        callId,
        seq: before.seq,
        option: 'acknowledged',
        confirmedPrompts: WARN_PROMPTS,
      });
      expect(answered.data.step.id).toBe('upsell');
      await until(
        'the push to this tab (held back)',
        async () => held.length,
        (n) => n === 1,
      );

      await tickAllPrompts(page);
      await clickOption(page, 'acknowledged');
      const banner = page.locator(byTestId('error'));
      await banner.waitFor();
      expect(await banner.getAttribute('data-code')).toBe('STALE_SEQ');
      expect(await banner.innerText()).toContain('这一步已经处理过，已为您显示当前步骤。');
      await waitForStep(page, 'upsell', { seq: before.seq + 1 });
      expect(await banner.isVisible()).toBe(true);
      await screenshot(page, '11-error-banner');
      await expectAccessible(page, 'agent: error banner over the current step (zh-CN)');
    } finally {
      holdPushes = false;
      await other.close();
    }

    // The next decision clears the banner.
    await clickOption(page, 'decline');
    await waitForStep(page, 'verify', { seq: before.seq + 2 });
    expect(await page.locator(byTestId('error')).isHidden()).toBe(true);
  });
});
