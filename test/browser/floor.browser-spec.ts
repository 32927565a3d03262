/**
 * The supervisors' live floor in a real browser: agents run calls over their own WebSockets (a
 * slow back end, and a customer whose suspension never answers) while the page updates by itself —
 * a call appears, moves, waits on the back end with a ticking wait, and a wait alert is raised.
 */
import { byTestId, until, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';

describe('live floor (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({
    env: { SIM_LATENCY_MS: '800', BACKEND_TIMEOUT_MS: '120000', FLOOR_WAIT_ALERT_MS: '1500' },
  });

  const agent = (user: string) => server.driver(user);

  it('updates live while calls run: a call appears, changes step, waits on the back end, raises an alert', async () => {
    const page = await openAs('supervisor1');
    await page.locator(byTestId('open-floor')).click();
    await page.locator(byTestId('floor-page')).waitFor();
    await waitForAttr(page.locator(byTestId('floor-status')), 'data-state', 'online');
    expect(await page.locator(byTestId('floor-tile-calls')).innerText()).toBe('0');
    expect(await page.locator(byTestId('floor-alert')).count()).toBe(0);

    const a1 = await agent('agent1');
    const a2 = await agent('agent2');
    await until(
      'two agents online',
      () => page.locator(byTestId('floor-agent')).count(),
      (n) => n === 2,
    );

    // A call appears…
    await a1.start('13800000006');
    const row = page.locator(byTestId('floor-call', `[data-call-id="${a1.callId}"]`));
    await waitForAttr(row, 'data-step-id', 'check-eligibility', 8000);
    expect(await page.locator(byTestId('floor-tile-calls')).innerText()).toBe('1');
    expect(await row.innerText()).toContain('agent1');
    expect(await row.innerText()).toContain('13800000006');
    // …and its step changes.
    await a1.toUpsell();
    await waitForAttr(row, 'data-step-id', 'upsell', 8000);

    // A second business on the floor (and in the chart).
    await a2.start('13800000001', 'bill-inquiry');
    await until(
      'two businesses in the chart',
      async () => JSON.parse((await page.locator(byTestId('floor-chart')).getAttribute('data-values')) ?? '[]'),
      (v: number[]) => v.length === 2 && v.every((n) => n === 1),
      8000,
    );

    // The suspension never answers: the call waits on the back end, the wait ticks, then the alert.
    await a1.decide('decline', undefined, 'verify');
    await a1.verifyByPassword();
    await a1.decide('execute', undefined, 'executing');
    const waitingRow = page.locator(byTestId('floor-waiting', `[data-call-id="${a1.callId}"]`));
    await until(
      'the call waiting on executeSuspension',
      () => waitingRow.getAttribute('data-operation', { timeout: 500 }),
      (op) => op === 'executeSuspension',
      8000,
    );
    await waitForAttr(row, 'data-waiting', 'true');
    const wait = waitingRow.locator(byTestId('floor-wait-seconds'));
    const first = Number(await wait.innerText());
    await until(
      'the wait to tick',
      async () => Number(await wait.innerText()),
      (v) => v >= first + 0.4,
      3000,
    );
    const alert = page.locator(byTestId('floor-alert', '[data-kind="wait"][data-step-id="executing"]'));
    await alert.waitFor({ timeout: 8000 });
    expect(await alert.innerText()).toContain('停机');
    expect(await page.locator(byTestId('floor-tile-alerts')).innerText()).toBe('1');
    await screenshot(page, '24-live-floor');
    await expectAccessible(page, 'live floor with calls, a wait and an alert (zh-CN)');

    // The caller hangs up: the wait and the alert go away by themselves.
    await a1.client.request('call.hangup', { callId: a1.callId });
    await row.waitFor({ state: 'detached', timeout: 8000 });
    await alert.waitFor({ state: 'detached', timeout: 8000 });
    expect(await page.locator(byTestId('floor-waiting')).count()).toBe(0);
    await a2.client.request('call.hangup', { callId: a2.callId });
    await until(
      'an empty floor',
      () => page.locator(byTestId('floor-tile-calls')).innerText(),
      (v) => v === '0',
      8000,
    );

    // Back to the desk closes the floor.
    await page.locator(byTestId('floor-back')).click();
    await page.locator(byTestId('role-home')).waitFor();
  }, 90_000);
});
