/**
 * Knowledge authoring in a real browser (issue 22 item 1): a supervisor writes an article on the
 * knowledge page — both languages, tags, linked to a step — and submits it; they cannot approve their
 * own; another supervisor approves it; the agent then sees it beside the script at that step. QA reads
 * the list without actions. zh-CN, axe, screenshots.
 */
import { byTestId, waitForAttr } from '../support/browser';
import { callAtStep } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';

describe('knowledge authoring page (real browser)', () => {
  const { openAs, screenshot } = useBrowserSuite({ users: ['supervisor1', 'supervisor2', 'qa1'] });
  const TITLE = '停机期间月租说明';

  it('written and submitted by one supervisor, approved by another, shown to the agent at its step', async () => {
    const maker = await openAs('supervisor1');
    await maker.locator(byTestId('knowledge-link')).click();
    await waitForAttr(maker.locator(byTestId('knowledge-page')), 'data-state', 'ready');
    await maker.locator(byTestId('kb-new')).click();
    await maker.locator(byTestId('kb-title-zh')).fill(TITLE);
    await maker.locator(byTestId('kb-title-en')).fill('Plan fee while suspended');
    await maker.locator(byTestId('kb-body-zh')).fill('<p>停机保号期间<b>月租照收</b>。</p>');
    await maker.locator(byTestId('kb-body-en')).fill('<p>The plan fee is <b>still charged</b>.</p>');
    await maker.locator(byTestId('kb-tags')).fill('停机, 月租');
    await maker.locator(byTestId('kb-step-flow')).selectOption('suspend-service');
    await maker.locator(byTestId('kb-step-step')).selectOption('warn');
    await maker.locator(byTestId('kb-step-add')).click();
    expect(await maker.locator(byTestId('kb-step-link')).getAttribute('data-link')).toBe('suspend-service/warn');
    await screenshot(maker, '47-knowledge-authoring');
    await expectAccessible(maker, 'knowledge authoring form (zh-CN)');
    await maker.locator(byTestId('kb-save')).click();
    const row = maker.locator(byTestId('kb-row', '[data-status="draft"]'));
    await row.waitFor();
    await row.locator(byTestId('kb-submit')).click();
    const submitted = maker.locator(byTestId('kb-row', '[data-status="submitted"]'));
    await submitted.waitFor();
    // The maker is not the checker.
    expect(await submitted.locator(byTestId('kb-approve')).count()).toBe(0);

    const checker = await openAs('supervisor2');
    await checker.locator(byTestId('knowledge-link')).click();
    const toApprove = checker.locator(byTestId('kb-row', '[data-status="submitted"]'));
    await toApprove.waitFor();
    await toApprove.locator(byTestId('kb-comment')).fill('口径无误');
    await toApprove.locator(byTestId('kb-approve')).click();
    const published = checker.locator(byTestId('kb-row', '[data-status="published"]'));
    await published.waitFor();
    expect(await published.innerText()).toContain('supervisor2');
    await screenshot(checker, '48-knowledge-approved');
    await expectAccessible(checker, 'knowledge list with a published article (zh-CN)');

    const qa = await openAs('qa1');
    await qa.goto(`${qa.url().split('#')[0]}#/knowledge`);
    await waitForAttr(qa.locator(byTestId('knowledge-page')), 'data-state', 'ready');
    expect(await qa.locator(byTestId('kb-row')).count()).toBe(1);
    expect(await qa.locator(byTestId('kb-new')).count()).toBe(0);
    expect(await qa.locator(byTestId('kb-new-version')).count()).toBe(0);

    const agent = await callAtStep(await openAs('agent1'), 'warn');
    const card = agent.locator(`${byTestId('kb-step-articles')} ${byTestId('kb-article')}`);
    await card.waitFor();
    expect(await card.innerText()).toContain(TITLE);
    expect(await card.locator('b').innerText()).toBe('月租照收');
  });
});
