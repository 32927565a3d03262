/**
 * The language walk (test/browser/language-walk.browser-spec.ts) through the rest of what people
 * use, in both locales: a whole hotline call worked by mouse (enter-service, bill-inquiry with the
 * back end's bill, hang-up) up to its summary; an agent's "my scorecards" and the read-only replay
 * of that call with its back-end replies; a draft with a newly added step and its findings. Every
 * state read: no raw id, no other-locale text, nothing untranslated, and axe finds nothing serious.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { byTestId, loginAs, until, waitForAttr } from '../support/browser';
import { act, popCustomer, waitForStep, waitForSummary } from '../support/browser-call';
import { useBrowserSuite } from '../support/browser-suite';
import { expectAccessible } from '../support/axe';
import { http } from '../support/http';
import { QaCalls } from '../support/qa-calls';
import { REPO_ROOT } from '../support/server';
import { knownIds, languageProblems, untranslated, visibleText } from '../support/visible-text';

type Locale = 'zh-CN' | 'en';
const BILL = 'bill-inquiry';
/** The draft's new step: in no published version, so only its own title can name it. */
const NEW_STEP = 'courtesy-callback';
const NEW_TITLE = { 'zh-CN': '回访客户', en: 'Call the customer back' };

describe('language walk: hotline call, my scorecards, QA replay with back-end replies, a draft with a new step (real browser)', () => {
  const { server, open, openAs } = useBrowserSuite({ users: ['agent1', 'agent2', 'supervisor1', 'qa1'] });
  const ids = knownIds();
  let draft = 0;
  let suspension = '';

  beforeAll(async () => {
    // agent2's hotline call (bill inquiry: the back end's bill), scored by qa1: under agent2's "my scorecards".
    const qa = new QaCalls(server);
    const callId = await qa.hotlineBillInquiry('agent2', '13800000001');
    suspension = await qa.suspend('agent2', '13800000001'); // replies of a check and of a change (receipt, SMS)
    const qaToken = await server.token('qa1');
    const scored = await http(server.baseUrl, 'POST', `/api/qa/calls/${callId}/scorecards`, {
      token: qaToken,
      body: { marks: { greeting: { score: 5 }, accuracy: { score: 4 }, empathy: { score: 4 } } },
    });
    expect(scored.status).toBe(201);
    draft = await draftWithNewStep();
  }, 120_000);

  /** A draft of bill-inquiry with a step no version has (unreachable: a finding names it). */
  async function draftWithNewStep(): Promise<number> {
    const token = await server.token('supervisor1');
    const latest = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows', `${BILL}.json`), 'utf8')) as { version: number }).version;
    const base = (await http(server.baseUrl, 'GET', `/api/authoring/flows/${BILL}/versions/${latest}`, { token })).body;
    const d = structuredClone(base.definition);
    const close = d.machine.states.close;
    d.machine.states[NEW_STEP] = {
      ...structuredClone(close),
      meta: { ...structuredClone(close.meta), title: NEW_TITLE },
    };
    const created = await http(server.baseUrl, 'POST', `/api/authoring/flows/${BILL}/versions`, { token, body: { definition: d, basedOn: latest } });
    expect(created.status).toBe(201);
    return created.body.version;
  }

  const inLocale = (locale: Locale) => ({
    beforeGoto: async (p: Page) => {
      await p.addInitScript((l) => localStorage.setItem('laihua.locale', l), locale);
    },
  });

  async function read(page: Page, locale: Locale, where: string, found: string[]): Promise<void> {
    await page.waitForTimeout(150); // let a re-render after the last answer land
    const text = await visibleText(page);
    for (const p of languageProblems(text, locale, ids)) found.push(`[${locale}] ${where}: ${p}`);
    for (const id of await untranslated(page)) found.push(`[${locale}] ${where}: untranslated '${id}'`);
    await expectAccessible(page, `${where} (${locale})`);
  }

  /** Acts, then reads the step it leads to. */
  async function step(page: Page, locale: Locale, found: string[], option: string, next: string, inputs?: Parameters<typeof act>[2]): Promise<void> {
    await act(page, option, inputs);
    await waitForStep(page, next, { timeoutMs: 10_000 });
    await read(page, locale, `hotline step ${next}`, found);
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`${locale}: the hotline call to its summary, my scorecards, the replay's back-end replies and a draft's new step are in one language`, async () => {
      const found: string[] = [];

      // A whole hotline call: enter-service → bill inquiry → hang-up, then its summary.
      const agent = await open(inLocale(locale));
      await agent.locator(byTestId('login-form')).waitFor();
      await read(agent, locale, 'login', found);
      await loginAs(agent, 'agent1');
      await popCustomer(agent, '13800000001');
      await agent.locator(byTestId('start-hotline-call')).click();
      await waitForStep(agent, 'greeting', { timeoutMs: 10_000 });
      await read(agent, locale, 'hotline step greeting', found);
      await step(agent, locale, found, 'greeted', 'ask-need');
      await step(agent, locale, found, 'identified', 'need-identified', { select: { need: 'bill' } });
      await step(agent, locale, found, 'another-business', 'explain-bill', { select: { flowId: BILL } });
      await step(agent, locale, found, 'explained', 'next-need');
      await step(agent, locale, found, 'done', 'close');
      await step(agent, locale, found, 'submit', 'completed');
      await step(agent, locale, found, 'finish-call', 'service-request');
      await step(agent, locale, found, 'submit', 'closing', { select: { resolution: 'resolved' } });
      await act(agent, 'goodbye');
      await waitForSummary(agent, 'completed', 10_000);
      await read(agent, locale, 'hotline summary', found);

      // agent2's scorecard under "my scorecards", and the call it scores replayed read-only: the back end's replies readable.
      const mine = await openAs('agent2', inLocale(locale));
      await mine.locator(byTestId('my-scorecards-link')).click();
      await mine.locator(byTestId('my-scorecards', '[data-state="ready"]')).waitFor();
      await read(mine, locale, 'my scorecards', found);
      await mine.locator(byTestId('my-scorecard-open')).click();
      await mine.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
      for (const at of ['ivr-transfer', 'query-bills', 'sending-sms']) {
        await mine
          .locator(byTestId('qa-step', `[data-step-id="${at}"]`))
          .first()
          .click();
        const detail = mine.locator(byTestId('qa-step-detail', `[data-step-id="${at}"]`));
        await detail.waitFor();
        expect(await detail.locator(byTestId('qa-action')).getAttribute('data-type')).toBe('backend.reply');
        await read(mine, locale, `QA replay, back-end reply at ${at}`, found);
      }

      // agent2's suspension, replayed read-only: the replies of the password check and of the suspension itself.
      await mine.goto(`${server.baseUrl}/#/my-scorecards/${suspension}`);
      await mine.locator(byTestId('qa-replay', '[data-state="ready"]')).waitFor();
      for (const at of ['checking-password', 'executing']) {
        await mine
          .locator(byTestId('qa-step', `[data-step-id="${at}"]`))
          .first()
          .click();
        const detail = mine.locator(byTestId('qa-step-detail', `[data-step-id="${at}"]`));
        await detail.waitFor();
        expect(await detail.locator(byTestId('qa-action')).getAttribute('data-type')).toBe('backend.reply');
        await read(mine, locale, `QA replay, back-end reply at ${at}`, found);
      }

      // The draft with a new step: its findings name the step by its own title.
      const sup = await openAs('supervisor1', inLocale(locale));
      await sup.locator(byTestId('open-editor')).click();
      await sup.locator(`${byTestId('editor-version')}[data-flow-id="${BILL}"][data-version="${draft}"]`).click();
      await waitForAttr(sup.locator(byTestId('version-head')), 'data-status', 'draft');
      await until(
        'findings listed',
        async () => Number(await sup.locator(`${byTestId('save-findings')} ${byTestId('findings')}`).getAttribute('data-count')),
        (n) => n >= 1,
        10_000,
      );
      expect(await sup.locator(byTestId('save-findings')).innerText()).toContain(NEW_TITLE[locale]);
      await read(sup, locale, 'editor draft with a new step', found);

      expect(found).toEqual([]);
    }, 240_000);
  }
});
