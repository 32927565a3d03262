/**
 * Knowledge on the agent screen in a real Chromium against a real server: the article a supervisor
 * wrote and another approved shows beside the script of the step it is linked to (its rich text
 * rendered, its script stripped); the one search box finds it in Chinese without spaces and with a
 * typo; opening a hit is logged and counted in the top-3 share. zh-CN and en, axe, screenshots.
 */
import { byTestId, until } from '../support/browser';
import { callAtStep, driveByMouse, popCustomer, startFlow, waitForStep } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/client';

describe('agent screen: knowledge (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite({ users: ['supervisor1', 'supervisor2', 'qa1'] });
  let articleId: string;

  beforeAll(async () => {
    const as = (user: string, method: string, p: string, body: unknown = {}) =>
      http(server.baseUrl, method, `/api/knowledge${p}`, { token: server.tokens[user], body });
    const draft = await as('supervisor1', 'POST', '/articles', {
      title: { 'zh-CN': '出国停机保号须知', en: 'Keeping your number while suspended abroad' },
      body: {
        'zh-CN': '<p>停机保号期间<b>月租照收</b>。<script>window.hacked=1</script></p><ul><li>可随时复机</li></ul>',
        en: '<p>The plan fee is <b>still charged</b>.<script>window.hacked=1</script></p><ul><li>Resume any time</li></ul>',
      },
      tags: ['保号'],
      steps: [{ flowId: 'suspend-service', stepId: 'warn' }],
      regions: [],
    });
    expect(draft.status).toBe(201);
    articleId = draft.body.articleId;
    expect((await as('supervisor1', 'POST', `/articles/${articleId}/versions/1/submit`)).status).toBe(200);
    expect((await as('supervisor2', 'POST', `/articles/${articleId}/versions/1/approve`)).status).toBe(200);
  });

  it('the linked article shows beside the script at its step; search finds it with no spaces and with a typo; the pick is logged', async () => {
    const page = await callAtStep(await openAs('agent1'), 'confirm-reason');
    expect(await page.locator(byTestId('kb-article')).count()).toBe(0);
    await page.locator(byTestId('kb-step-articles')).getByText('本步骤暂无关联知识').waitFor();

    await driveByMouse(page, { until: 'warn', reason: 'travel' });
    await waitForStep(page, 'warn');
    const card = page.locator(`${byTestId('kb-step-articles')} ${byTestId('kb-article')}`);
    await card.waitFor();
    expect(await card.getAttribute('data-article-id')).toBe(articleId);
    expect(await card.locator('b').innerText()).toBe('月租照收');
    expect(await card.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    await screenshot(page, '40-knowledge-step-article');
    await expectAccessible(page, 'agent: knowledge beside the script (zh-CN)');

    await page.locator(byTestId('kb-search')).fill('停机保好');
    await page.locator(byTestId('kb-search')).press('Enter');
    const hit = page.locator(byTestId('kb-hit', `[data-kind="article"][data-id="${articleId}"]`));
    await hit.waitFor();
    await page.locator(byTestId('kb-search')).fill('出国停机保号');
    await page.locator(byTestId('kb-search')).press('Enter');
    await until(
      'the article first among the hits',
      () => page.locator(byTestId('kb-hit')).first().getAttribute('data-id'),
      (id) => id === articleId,
    );
    await page.locator(byTestId('kb-hit')).first().click();
    await page.locator(`${byTestId('kb-opened')} ${byTestId('kb-article')}`).waitFor();
    await screenshot(page, '41-knowledge-search');
    await expectAccessible(page, 'agent: knowledge search (zh-CN)');
    await until(
      'the pick is logged',
      async () => (await http(server.baseUrl, 'GET', '/api/knowledge/search-accuracy', { token: server.tokens.qa1 })).body,
      (a) => a.picked === 1 && a.pickedInTop3 === 1,
    );
  });

  it('quick answers at the pop, from the caller’s own data; told in the call, each is logged with it', async () => {
    const page = await openAs('agent1');
    await popCustomer(page, '13800000011');
    const panel = page.locator(`${byTestId('quick-answers')}[data-state="ready"]`);
    await panel.waitFor();
    const bill = panel.locator(byTestId('quick-answer', '[data-id="why-bill-high"]'));
    expect(await bill.locator(byTestId('quick-answer-text')).innerText()).toBe(
      '2026-10账单 ¥96.8（上月 ¥41），增加最多：套餐月租 +¥29.38、流量 +¥29.04、增值业务 +¥9.68',
    );
    expect(await panel.locator(byTestId('quick-answer', '[data-id="subscribed-services"]')).innerText()).toContain('动感地带流量包、QQ会员、音乐会员');
    const data = panel.locator(byTestId('quick-answer', '[data-id="data-remaining"]'));
    expect(await data.locator(byTestId('quick-answer-text')).innerText()).toBe(
      '本月剩余流量 1446 MB（共 4096 MB，已用 2650 MB）：动感地带流量加油包 剩 1024/1024 MB、套餐内国内流量 剩 422/3072 MB',
    );
    // No call yet: nothing to log it with.
    expect(await bill.locator(byTestId('quick-answer-tell')).isDisabled()).toBe(true);
    await startFlow(page);
    await bill.locator(byTestId('quick-answer-tell')).click();
    await bill.locator(byTestId('quick-answer-told')).waitFor();
    await screenshot(page, '46-quick-answers-told');
    await expectAccessible(page, 'agent: quick answers on the caller panel (zh-CN)');
    const callId = JSON.parse((await page.evaluate(() => sessionStorage.getItem('laihua.call')))!).callId as string;
    const events = (await http(server.baseUrl, 'GET', `/api/calls/${callId}`, { token: server.tokens.supervisor1 })).body.events as {
      type: string;
      payload: { answerId?: string };
    }[];
    expect(events.filter((e) => e.type === 'quick.answer').map((e) => e.payload.answerId)).toEqual(['why-bill-high']);
  });
});
