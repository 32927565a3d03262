/**
 * Single sign-on in a real browser (issue 19 item 2): with local passwords off the login page shows
 * only "Sign in with <provider>"; it leads to the real provider's login page (oidc-provider, its own
 * process) and back to the agent screen. A user laihua does not know comes back to the login page
 * with the refusal. axe on each laihua state; screenshots in docs/screenshots/.
 */
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { allowConsoleErrors, byTestId, closeBrowser, closePages, expectNoConsoleErrors, openPage, screenshot, waitForAttr } from '../support/browser';
import { providerEnv, startWithProvider } from '../support/oidc-provider';
import { startServer, type TestServer } from '../support/server';

describe('single sign-on (real browser, real provider)', () => {
  let provider: ChildProcess;
  let server: TestServer;
  beforeAll(async () => {
    ({ provider, server } = await startWithProvider('', (ports) =>
      startServer({ port: ports.laihuaPort, env: providerEnv(ports, { 'hl-agents': 'agent' }, false) }),
    ));
  }, 120_000);
  afterAll(async () => {
    await closePages();
    await closeBrowser();
    await server?.stop();
    server?.cleanup();
    provider?.kill();
  });

  /** From laihua's login page through the provider's login form, as `login`. */
  async function signInAtProvider(login: string): Promise<Page> {
    const page = await openPage(server.baseUrl);
    // The provider's development login page (not laihua's) asks for a web font and its favicon, offline here.
    allowConsoleErrors(page, /fonts\.googleapis\.com/, /favicon\.ico/);
    const button = page.locator(byTestId('login-sso'));
    await button.waitFor();
    expect(await page.locator(byTestId('login-username')).isVisible()).toBe(false);
    await button.click();
    await page.locator('input[name="login"]').waitFor();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    return page;
  }

  it('signs an agent in through the provider and lands on the agent screen', async () => {
    const page = await openPage(server.baseUrl);
    await page.locator(byTestId('login-sso')).waitFor();
    expect(await page.locator(byTestId('login-sso')).innerText()).toContain('Test IdP');
    await expectAccessible(page, 'login page, SSO only');
    await screenshot(page, 'sso-login');
    const signedIn = await signInAtProvider('agent1');
    await signedIn.locator(byTestId('call-screen')).waitFor();
    await waitForAttr(signedIn.locator(byTestId('connection-status')), 'data-state', 'online');
    expect(signedIn.url()).not.toContain('sso-token');
    await expectAccessible(signedIn, 'agent screen after SSO');
    await screenshot(signedIn, 'sso-agent-screen');
    expectNoConsoleErrors(signedIn);
  });

  it('brings a user laihua does not know back to the login page with the refusal', async () => {
    const page = await signInAtProvider('stranger');
    const error = page.locator(byTestId('login-error'));
    await error.waitFor();
    expect(await error.innerText()).toMatch(/单点登录被拒绝/);
    await expectAccessible(page, 'login page, SSO refused');
    await screenshot(page, 'sso-refused');
    expectNoConsoleErrors(page);
  });
});
