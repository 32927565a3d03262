/**
 * The holding state of W (wait) steps, with a slow simulated back end (its own server): the agent
 * sees what to say while holding and a running "waiting for" counter, then the call moves on by itself.
 */
import { byTestId, until } from '../support/browser';
import { clickOption, driveByMouse, optionIds, popCustomer, savedCall, startFlow, waitForStep, waitForSummary } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { expectDeterministicReplay, login } from '../support/client';

const LATENCY_MS = 1500;

describe('agent screen: holding on a slow back end (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({ env: { SIM_LATENCY_MS: String(LATENCY_MS), BACKEND_TIMEOUT_MS: '8000' } });

  it('checking-password shows the holding text with an increasing elapsed time, then moves on by itself', async () => {
    const page = await openAs('agent1');
    await popCustomer(page, '13800000001');
    await startFlow(page);
    await driveByMouse(page, { until: 'verify' });
    const verify = await waitForStep(page, 'verify');

    await clickOption(page, 'password');
    const holding = await waitForStep(page, 'checking-password', { afterSeq: verify.seq });
    expect(holding.lane).toBe('support');
    expect(await page.locator(`${byTestId('step')} ${byTestId('mark')}`).getAttribute('data-mark')).toBe('W');
    await page.locator(byTestId('holding')).waitFor();
    expect(await page.locator(byTestId('holding')).innerText()).toContain('请您稍候，正在验证。');
    expect(await optionIds(page)).toEqual([]);

    const elapsed = page.locator(byTestId('holding-elapsed'));
    const first = Number(await elapsed.innerText());
    expect(first).toBeGreaterThanOrEqual(0);
    const later = await until(
      'holding-elapsed to increase',
      async () => Number(await elapsed.innerText()),
      (v) => v >= first + 0.3,
      3000,
    );
    expect(later).toBeGreaterThan(first);
    await screenshot(page, '06-holding');
    await expectAccessible(page, 'agent: holding on the back end (zh-CN)');

    // The IVR answers (ok for this customer): the next step comes without any click.
    await waitForStep(page, 'execute', { afterSeq: holding.seq, timeoutMs: LATENCY_MS * 4 });
    expect(await page.locator(byTestId('holding')).count()).toBe(0);

    await driveByMouse(page, { timeoutMs: 20_000 });
    await waitForSummary(page, 'completed');
    const { callId } = await savedCall(page);
    await expectDeterministicReplay(server.baseUrl, await login(server.baseUrl, 'agent1'), callId);
  });
});
