/**
 * A multi-business hotline call worked by mouse in real Chromium: the agent takes the call
 * (enter manual service), does a bill inquiry, starts a suspension whose upsell "两城一家" the
 * customer accepts — the screen moves into that business — then closes through hang-up. The
 * businesses strip shows at every moment which business is active and what is done.
 */
import type { Page } from 'playwright-core';
import { byTestId } from '../support/browser';
import { act, offerIds, optionIds, popCustomer, savedCall, waitForStep, waitForSummary } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { expectDeterministicReplay, login } from '../support/client';

const CALLER = '13800000001';

/** The businesses strip as `flowId:status`. */
const strip = (page: Page) =>
  page.locator(byTestId('business')).evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.flowId}:${(e as HTMLElement).dataset.status}`));

/** Ticks the care prompts, fills the given inputs, clicks the option and waits for the next view. */
describe('hotline call across businesses (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite();

  it('enter → bill inquiry → suspension → 两城一家 accepted and opened → hang-up; the strip follows the businesses', async () => {
    const page = await openAs('agent1');
    await popCustomer(page, CALLER);
    await page.locator(byTestId('start-hotline-call')).click();

    // The screen pop (a back-end step) answers by itself and the greeting is shown.
    await waitForStep(page, 'greeting', { timeoutMs: 10_000 });
    expect(await strip(page)).toEqual(['enter-service:active']);
    await act(page, 'greeted');
    await act(page, 'identified', { select: { need: 'bill' } });

    // The hub between businesses: only the hotline's own moves.
    await waitForStep(page, 'need-identified');
    expect(await optionIds(page)).toEqual(['another-business', 'finish-call']);
    expect(await strip(page)).toEqual(['enter-service:done']);
    await act(page, 'another-business', { select: { flowId: 'bill-inquiry' } });
    await waitForStep(page, 'explain-bill', { timeoutMs: 10_000 });
    expect(await strip(page)).toEqual(['enter-service:done', 'bill-inquiry:active']);
    await act(page, 'explained');
    await act(page, 'done');
    await act(page, 'submit');

    await waitForStep(page, 'completed');
    expect(await strip(page)).toEqual(['enter-service:done', 'bill-inquiry:done']);
    await act(page, 'another-business', { select: { flowId: 'suspend-service' } });
    await waitForStep(page, 'check-eligibility');
    await act(page, 'continue');
    await act(page, 'continue', { select: { reason: 'travel' } });
    await act(page, 'acknowledged');
    await waitForStep(page, 'upsell');
    expect((await offerIds(page))[0]).toBe('two-cities-one-home');
    await page.locator(byTestId('offer', '[data-offer-id="two-cities-one-home"]')).click();
    await act(page, 'accept');

    // The accepted offer opened its own business: suspend is done (converted), 两城一家 active.
    await waitForStep(page, 'explain-product');
    expect(await strip(page)).toEqual(['enter-service:done', 'bill-inquiry:done', 'suspend-service:done', 'two-cities-one-home:active']);
    expect(await page.locator(byTestId('business', '[data-flow-id="suspend-service"]')).innerText()).toContain('营销成功');
    expect(await page.locator(byTestId('business', '[data-status="active"]')).innerText()).toContain('两城一家');
    await screenshot(page, '13-hotline-jump-into-two-cities');
    await expectAccessible(page, 'agent: hotline, business strip (zh-CN)');

    await act(page, 'interested');
    await act(page, 'confirm', { fill: { secondCity: '上海' } });
    await waitForStep(page, 'remind', { timeoutMs: 10_000 });
    await act(page, 'acknowledged');
    await act(page, 'submit');
    await waitForStep(page, 'completed');
    expect(await optionIds(page)).toEqual(['another-business', 'finish-call']);
    await screenshot(page, '14-hotline-hub-after-businesses');
    await expectAccessible(page, 'agent: hotline hub after businesses (zh-CN)');

    await act(page, 'finish-call');
    await waitForStep(page, 'service-request');
    await act(page, 'submit', { select: { resolution: 'resolved' } });
    await act(page, 'goodbye');
    await waitForSummary(page, 'completed', 10_000);

    const businesses = await page
      .locator(byTestId('summary-business'))
      .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.flowId}:${(e as HTMLElement).dataset.outcome}`));
    expect(businesses).toEqual([
      'enter-service:need-identified',
      'bill-inquiry:completed',
      'suspend-service:converted',
      'two-cities-one-home:completed',
      'hang-up:closed',
    ]);
    await screenshot(page, '15-hotline-summary', { fullPage: true });
    await expectAccessible(page, 'agent: hotline summary (zh-CN)');

    const { callId } = await savedCall(page);
    await expectDeterministicReplay(server.baseUrl, await login(server.baseUrl, 'agent1'), callId);
  });
});
