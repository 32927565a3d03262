/**
 * The admin page in a real browser (issue 19 item 1), in both locales: an admin creates a team,
 * imports agents by CSV and reads the per-row report, disables one, resets another's password and
 * sees it all in the change log; the reset agent must choose a new password before anything else.
 * Every state is checked with axe (no serious/critical violation) and read like the language walk
 * (no raw id, no other-locale text, nothing untranslated); screenshots in docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { allowConsoleErrors, byTestId, until, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { knownIds, languageProblems, untranslated, visibleText } from '../support/visible-text';

type Locale = 'zh-CN' | 'en';

describe('admin page (real browser)', () => {
  const { open, openAs, screenshot } = useBrowserSuite({ users: ['admin1'] });
  const ids = knownIds();

  const inLocale = (locale: Locale) => ({
    beforeGoto: async (p: Page) => {
      await p.addInitScript((l) => localStorage.setItem('laihua.locale', l), locale);
    },
  });

  /** The language walk's checks and axe, on the page as it is now. */
  async function read(page: Page, locale: Locale, where: string): Promise<void> {
    await page.waitForTimeout(150);
    const problems = languageProblems(await visibleText(page), locale, ids).map((p) => `${where}: ${p}`);
    for (const id of await untranslated(page)) problems.push(`${where}: untranslated '${id}'`);
    expect(problems).toEqual([]);
    await expectAccessible(page, `${where} (${locale})`);
  }

  const row = (page: Page, username: string) => page.locator(byTestId('user-row', `[data-username="${username}"]`));

  for (const [locale, base, team] of [
    ['zh-CN', 30, '101'],
    ['en', 40, '202'],
  ] as const) {
    it(`${locale}: team, CSV import with its report, disable, reset, change log; the reset agent must set a new password first`, async () => {
      const [a, b, c] = [base + 1, base + 2, base + 3].map((n) => `agent${n}`);
      const page = await openAs('admin1', inLocale(locale));
      await page.locator(byTestId('admin-users')).waitFor();
      await read(page, locale, 'admin page');

      await page.locator(byTestId('team-name')).fill(team);
      await page.locator(byTestId('team-create')).click();
      await page.locator(byTestId('team-row', `[data-team="${team}"]`)).waitFor();

      const csv = [
        'username,role,password,team',
        `${a},agent,Team-Pass-01,${team}`,
        `${b},agent,Team-Pass-02,${team}`,
        `${c},agent,Team-Pass-03,${team}`,
        `${c}x,agent,weak,${team}`,
      ];
      await page.locator(byTestId('import-csv')).fill(csv.join('\n'));
      await page.locator(byTestId('import-run')).click();
      await page.locator(byTestId('import-report')).waitFor();
      expect(
        await page.locator(byTestId('import-row')).evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-ok'), r.getAttribute('data-error')])),
      ).toEqual([
        ['true', null],
        ['true', null],
        ['true', null],
        ['false', 'weak-password'],
      ]);
      await row(page, a).waitFor();
      await read(page, locale, 'admin page after an import');
      await screenshot(page, `admin-page-${locale}`, { fullPage: true });

      await row(page, a).locator(byTestId('user-disable')).click();
      await waitForAttr(row(page, a), 'data-disabled', 'true');
      await row(page, b).locator(byTestId('reset-password')).fill('Reset-Pass-77');
      await row(page, b).locator(byTestId('user-reset')).click();
      // Newest first: this test's six changes head the log (the server is shared by both locales' tests).
      const expected = ['user.password-reset', 'user.disable', 'user.create', 'user.create', 'user.create', 'team.create'];
      await until(
        'the reset at the head of the change log',
        () => page.locator(byTestId('audit-row')).evaluateAll((rows) => rows.slice(0, 6).map((r) => r.getAttribute('data-action'))),
        (actions) => JSON.stringify(actions) === JSON.stringify(expected),
      );
      await read(page, locale, 'admin page after disable and reset');

      // A supervisor is given this team only: the change log says so.
      await row(page, 'supervisor1').locator(byTestId('user-supervises')).selectOption({ label: team });
      await until(
        'the supervised teams in the change log',
        () => page.locator(byTestId('audit-row')).first().getAttribute('data-action'),
        (action) => action === 'user.supervises',
      );
      expect(
        await row(page, 'supervisor1')
          .locator(byTestId('user-supervises'))
          .evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.text)),
      ).toEqual([team]);

      // The reset agent: the login page asks for a new password before anything else.
      const agent = await open(inLocale(locale));
      // The weak password is refused with a 400, which the browser logs.
      allowConsoleErrors(agent, /status of 400/);
      await agent.locator(byTestId('login-form')).waitFor();
      await agent.locator(byTestId('login-username')).fill(b);
      await agent.locator(byTestId('login-password')).fill('Reset-Pass-77');
      await agent.locator(byTestId('login-submit')).click();
      await agent.locator(byTestId('password-change-form')).waitFor();
      await read(agent, locale, 'forced password change');
      await agent.locator(byTestId('new-password')).fill('Mine-Now-2026');
      await agent.locator(byTestId('new-password-again')).fill('Mine-Now-2026!');
      await agent.locator(byTestId('new-password-submit')).click();
      const error = agent.locator(byTestId('new-password-error'));
      // The two entries differ: said on the page, nothing sent.
      const mismatch = await until(
        'the mismatch message',
        () => error.innerText(),
        (t) => t.length > 0,
      );
      await agent.locator(byTestId('new-password')).fill('short');
      await agent.locator(byTestId('new-password-again')).fill('short');
      await agent.locator(byTestId('new-password-submit')).click();
      // Too weak: the server refuses it, the page says so in its language.
      await until(
        'the weak-password message',
        () => error.innerText(),
        (t) => t.length > 0 && t !== mismatch,
      );
      await read(agent, locale, 'forced password change refused');
      await screenshot(agent, `password-change-${locale}`);
      await agent.locator(byTestId('new-password')).fill('Mine-Now-2026!');
      await agent.locator(byTestId('new-password-again')).fill('Mine-Now-2026!');
      await agent.locator(byTestId('new-password-submit')).click();
      await agent.locator(byTestId('call-screen')).waitFor();
    });
  }
});
