/**
 * Every page a person uses, in both locales, read the way a person reads it (visible text, titles,
 * aria-labels, placeholders: test/support/visible-text.ts): no raw ids (kebab-case ids of flows/ and
 * the simulator, `name@version`, camelCase keys), no text of the other locale (only the simulator's
 * Chinese customer names and a short allowlist), and nothing the translation layer
 * (web/src/app/names.ts) had to fall back on. Also: the editor's blueprint fits 1280 px and a
 * clicked step's form is brought into view.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { allowConsoleErrors, byTestId, loginAs, until, waitForAttr } from '../support/browser';
import { driveByMouse, popCustomer, startFlow, waitForStep, waitForSummary } from '../support/browser-call';
import { useBrowserSuite } from '../support/browser-suite';
import { drawn } from '../support/dashboard-page';
import { MetricsCalls, SUSPEND } from '../support/metrics-calls';

/** suspend-service's version in force at boot: its file's. */
const SUSPEND_FILE_VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../flows/suspend-service.json'), 'utf8')) as { version: number }).version;
import { expectAccessible } from '../support/axe';
import { http } from '../support/http';
import { QaCalls } from '../support/qa-calls';
import { knownIds, languageProblems, untranslated, visibleText } from '../support/visible-text';

type Locale = 'zh-CN' | 'en';

describe('language walk and editor layout (real browser)', () => {
  const { server, open, openAs } = useBrowserSuite({
    users: ['agent1', 'agent2', 'supervisor1', 'supervisor2', 'qa1', 'admin1'],
    env: { BACKEND_TIMEOUT_MS: '120000', FLOOR_WAIT_ALERT_MS: '1000' },
  });
  const ids = knownIds();
  let v2 = 0;

  beforeAll(async () => {
    const qa = new QaCalls(server);
    await qa.suspend('agent1', '13800000001');
    await qa.suspend('agent1', '13900000001', true);
    await qa.hotlineBillInquiry('agent2', '13800000012');
    const gen = new MetricsCalls(server);
    v2 = await gen.publishVersionWithoutUpsell();
    await gen.completed('agent2', '13800000012', true);
  }, 120_000);

  const inLocale = (locale: Locale) => ({
    beforeGoto: async (p: Page) => {
      await p.addInitScript((l) => localStorage.setItem('laihua.locale', l), locale);
    },
  });

  /** A draft of the suspend flow that fails a policy (warn moved after verify); its version. */
  async function draftFailingChecks(): Promise<number> {
    const token = await server.token('supervisor1');
    const v1 = (await http(server.baseUrl, 'GET', `/api/authoring/flows/${SUSPEND}/versions/${SUSPEND_FILE_VERSION}`, { token })).body;
    const d = structuredClone(v1.definition);
    const s = d.machine.states;
    s['confirm-reason'].on.CONTINUE.target = 'upsell';
    s.warn.on.ACKNOWLEDGED.target = 'execute';
    s['checking-password'].invoke.onDone[0].target = 'warn';
    s['checking-document'].invoke.onDone[0].target = 'warn';
    const created = await http(server.baseUrl, 'POST', `/api/authoring/flows/${SUSPEND}/versions`, {
      token,
      body: { definition: d, basedOn: SUSPEND_FILE_VERSION },
    });
    expect(created.status).toBe(201);
    return created.body.version;
  }

  /** The problems of what is on screen now, labelled with where. */
  async function read(page: Page, locale: Locale, where: string, found: string[]): Promise<void> {
    await page.waitForTimeout(150); // let a re-render after the last answer land
    const text = await visibleText(page);
    for (const p of languageProblems(text, locale, ids)) found.push(`[${locale}] ${where}: ${p}`);
    for (const id of await untranslated(page)) found.push(`[${locale}] ${where}: untranslated '${id}'`);
    // Every state walked is also checked for accessibility, in both locales.
    await expectAccessible(page, `${where} (${locale})`);
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`${locale}: login, the agent's call steps and summary, editor, diff, dashboards, heat map, redesign backlog, floor, QA finder, replay and scorecard, the admin page show no raw id and no other-locale text`, async () => {
      const found: string[] = [];

      // Login, then the agent's call from screen pop to summary (on v2, published above: no upsell step).
      const agent = await open(inLocale(locale));
      await agent.locator(byTestId('login-form')).waitFor();
      await read(agent, locale, 'login', found);
      await loginAs(agent, 'agent1');
      await read(agent, locale, 'call screen', found);
      await popCustomer(agent, '13800000001');
      await read(agent, locale, 'screen pop', found);
      await startFlow(agent);
      await read(agent, locale, 'step check-eligibility', found);
      for (const step of ['confirm-reason', 'warn', 'verify', 'execute', 'remind', 'close']) {
        await driveByMouse(agent, { until: step });
        await waitForStep(agent, step);
        await read(agent, locale, `step ${step}`, found);
      }
      await driveByMouse(agent);
      await waitForSummary(agent, 'completed');
      await read(agent, locale, 'summary', found);

      // A call left waiting on the back end (for the floor and its alert).
      const waiting = await server.driver('agent2', locale);
      await waiting.start('13800000006');
      await waiting.decide('continue', undefined, 'confirm-reason');
      await waiting.decide('continue', { reason: 'travel' }, 'warn');
      await waiting.decide('acknowledged', undefined, 'verify');
      await waiting.verifyByPassword();
      await waiting.decide('execute', undefined, 'executing');

      // The supervisor: home, editor, a step's form, the diff, a draft's findings, dashboards, heat map, floor.
      const failing = await draftFailingChecks();
      const sup = await openAs('supervisor1', inLocale(locale));
      await read(sup, locale, 'supervisor home', found);
      await sup.locator(byTestId('open-editor')).click();
      await sup.locator(byTestId('editor-flow')).first().waitFor();
      await read(sup, locale, 'editor list', found);
      await sup.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="${v2}"]`).click();
      await waitForAttr(sup.locator(byTestId('blueprint-holder')), 'data-ready', 'true');
      await read(sup, locale, 'editor blueprint', found);
      await sup.locator(byTestId('bp-step', '[data-step-id="warn"]')).click();
      await sup.locator(byTestId('step-form')).waitFor();
      await read(sup, locale, 'editor step form', found);
      await sup.locator(byTestId('tab-diff')).click();
      await sup.locator(byTestId('diff-result')).waitFor();
      await read(sup, locale, 'editor diff', found);
      await sup.locator(byTestId('tab-audit')).click();
      await read(sup, locale, 'editor audit', found);
      // Test dialling: a small campaign's table (brands, failure causes, endings) in the screen's language.
      await sup.locator(byTestId('tab-campaigns')).click();
      await sup.locator(byTestId('campaign-calls')).fill('5');
      await sup.locator(byTestId('campaign-run')).click();
      await sup.locator(byTestId('campaign-summary')).waitFor();
      await read(sup, locale, 'editor test dialling', found);
      // A draft that fails the checks: a policy finding (warn after verify), said in the screen's language.
      await sup.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="${failing}"]`).click();
      await waitForAttr(sup.locator(byTestId('version-head')), 'data-status', 'draft');
      await until(
        'findings listed',
        async () => Number(await sup.locator(`${byTestId('save-findings')} ${byTestId('findings')}`).getAttribute('data-count')),
        (n) => n >= 1,
        10_000,
      );
      await read(sup, locale, 'editor draft with findings', found);

      // A comparison kept from before that names one version twice is not reopened: latest vs the one before.
      await sup.evaluate((flowId) => sessionStorage.setItem('laihua.metrics.compare', JSON.stringify({ flowId, a: '2', b: '2' })), SUSPEND);
      await sup.goto(`${server.baseUrl}/#/metrics`);
      await sup.locator(byTestId('metrics-page')).waitFor();
      for (const id of ['metrics-summary', 'metrics-business-section', 'metrics-offers-section', 'metrics-compliance-section']) await drawn(sup, id, '');
      await sup.locator(byTestId('compare-flow')).waitFor();
      expect([await sup.locator(byTestId('compare-a')).inputValue(), await sup.locator(byTestId('compare-b')).inputValue()]).toEqual([
        String(v2 - 1),
        String(v2),
      ]);
      await read(sup, locale, 'dashboards', found);
      await sup.goto(`${server.baseUrl}/#/metrics/heat-map`);
      await sup.locator(byTestId('heat-map-page')).waitFor();
      await sup.locator(byTestId('metrics-filter-flowId')).selectOption(SUSPEND);
      await sup.locator(byTestId('metrics-filter-version')).selectOption('2');
      await drawn(sup, 'heat-steps-section', `flowId=${SUSPEND}&version=2`);
      await waitForAttr(sup.locator(byTestId('heat-holder')), 'data-ready', 'true');
      await read(sup, locale, 'heat map', found);
      await sup.goto(`${server.baseUrl}/#/metrics/backlog`);
      await sup.locator(byTestId('backlog-page')).waitFor();
      await sup.locator(byTestId('backlog-flow')).selectOption(SUSPEND);
      await sup.locator(`${byTestId('backlog-section')} [data-state="ready"][data-flow-id="${SUSPEND}"]`).waitFor();
      await read(sup, locale, 'redesign backlog', found);
      // The evaluation model: the 50 indicators (names, sources, reasons for no value), groups, quadrant.
      await sup.goto(`${server.baseUrl}/#/metrics/evaluation`);
      for (const id of ['evaluation-indicators-section', 'evaluation-quadrant-section', 'other-needs-section'])
        await sup.locator(`[data-testid="${id}"][data-state="ready"]`).waitFor({ timeout: 15_000 });
      await read(sup, locale, 'evaluation model', found);
      await sup.goto(`${server.baseUrl}/#floor`);
      await sup.locator(byTestId('floor-page')).waitFor();
      await sup.locator(byTestId('floor-alert', '[data-step-id="executing"]')).waitFor({ timeout: 10_000 });
      await read(sup, locale, 'floor', found);
      await waiting.client.request('call.hangup', { callId: waiting.callId });

      // QA: the finder, a replay with its checks and the scorecard.
      const qa = await openAs('qa1', inLocale(locale));
      await until(
        'calls listed',
        () => qa.locator(byTestId('qa-call-row')).count(),
        (n) => n >= 3,
        10_000,
      );
      await read(qa, locale, 'QA finder', found);
      await qa.locator(byTestId('qa-open-call')).first().click();
      await qa.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
      await qa.locator(byTestId('qa-scorecard')).first().waitFor();
      await read(qa, locale, 'QA replay and scorecard', found);
      allowConsoleErrors(qa, /status of 400 .*\/scorecards/); // the empty scorecard is refused on purpose
      await qa.locator(byTestId('qa-save-scorecard')).click();
      await qa.locator(byTestId('qa-scorecard-errors')).waitFor();
      await read(qa, locale, 'QA scorecard errors', found);

      // The admin page (its own browser spec walks its states: admin-page.browser-spec.ts).
      const admin = await openAs('admin1', inLocale(locale));
      await admin.locator(byTestId('admin-audit')).waitFor();
      await read(admin, locale, 'admin page', found);

      expect(found).toEqual([]);
    }, 180_000);
  }

  it('the blueprint of the longest flow fits 1280 px, and a clicked step brings its form into view', async () => {
    const page = await openAs('supervisor1');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator(byTestId('open-editor')).click();
    await page.locator(byTestId('editor-flow')).first().waitFor();
    await page.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="${SUSPEND_FILE_VERSION}"]`).click();
    await waitForAttr(page.locator(byTestId('blueprint-holder')), 'data-ready', 'true');
    const boxes = await page
      .locator(byTestId('bp-step'))
      .evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    expect(boxes.length).toBeGreaterThanOrEqual(18);
    const outside = boxes.filter((b) => b.left < 0 || b.right > 1280);
    expect(outside).toEqual([]);
    for (const step of ['close', 'check-eligibility']) {
      await page.locator(byTestId('bp-step', `[data-step-id="${step}"]`)).click();
      const form = page.locator(byTestId('step-form', `[data-step-id="${step}"]`));
      await form.waitFor();
      await until(
        `the form of ${step} in the viewport`,
        () =>
          form.evaluate((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.top < window.innerHeight - 100;
          }),
        (v) => v,
        3000,
      );
    }
  });
});
