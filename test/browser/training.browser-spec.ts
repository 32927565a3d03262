/**
 * Training in a real browser (issue 22 item 4): an agent opens the training page, draws a scenario of
 * a business, works the simulated call on the real call screen beside the caller's script (each
 * line marked as the call reaches its step), follows it and sees the pass; a supervisor sees the
 * agent certified. Screenshots and axe on each page, zh-CN and English.
 */
import type { TrainingScenario } from '../../protocol/training';
import { byTestId, waitForAttr } from '../support/browser';
import { act, currentStep, waitForStep } from '../support/browser-call';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { http } from '../support/client';
import { until } from '../support/poll';

const FLOW = 'bill-inquiry';

describe('training (real browser)', () => {
  const { server, openAs, screenshot } = useBrowserSuite(() => ({ users: ['agent1', 'supervisor1'], env: { TRAINING_CERTIFY_AFTER: '1' } }));

  it('an agent practises a drawn scenario on the call screen beside the caller’s script, passes, and the supervisor sees them certified', async () => {
    const page = await openAs('agent1');
    await page.locator(byTestId('training-link')).click();
    await waitForAttr(page.locator(byTestId('training')), 'data-state', 'ready');
    expect(await page.locator(byTestId('tr-no-certs')).innerText()).toBe('暂无认证记录');
    await screenshot(page, '60-training-home');
    await expectAccessible(page, 'training page (zh-CN)');

    await page.locator(byTestId('tr-flow')).selectOption(FLOW);
    await page.locator(byTestId('tr-start')).click();
    const script = page.locator(byTestId('tr-scenario'));
    await script.waitFor();
    const scenarioId = (await script.getAttribute('data-scenario'))!;
    const scenarios = (await http(server.baseUrl, 'GET', `/api/training/scenarios?flowId=${FLOW}`, { token: server.tokens.agent1 })).body as TrainingScenario[];
    const scenario = scenarios.find((s) => s.id === scenarioId)!;
    expect(await page.locator(byTestId('tr-line')).count()).toBe(scenario.lines.length);
    // The caller's lines can be spoken (Web Speech API) as well as read.
    expect(await page.locator(byTestId('tr-speak')).count()).toBe(scenario.lines.filter((l) => l.says).length);
    await page.locator(byTestId('tr-speak')).first().click();

    // The trainee answers as the caller does at every choice; the script marks the step the call is at.
    let shot = false;
    for (const line of scenario.lines.filter((l) => l.answer)) {
      await waitForStep(page, line.stepId);
      expect(await page.locator(`${byTestId('tr-line')}[data-step="${line.stepId}"]`).getAttribute('aria-current')).not.toBeNull();
      if (!shot) {
        await screenshot(page, '61-training-call');
        await expectAccessible(page, 'training call with the caller’s script (zh-CN)');
        shot = true;
      }
      const select: Record<string, string> = {};
      const fill: Record<string, string> = {};
      for (const [name, value] of Object.entries(line.answer!.input ?? {})) {
        const tag = await page.locator(byTestId(`input-${name}`)).evaluate((el) => el.tagName);
        (tag === 'SELECT' ? select : fill)[name] = String(value);
      }
      await act(page, line.answer!.option, { select, fill });
    }
    // The scenario's last back-end steps (a ticket raised, a request submitted) end the call.
    await until(
      'the call completed',
      () => currentStep(page),
      (s) => s?.status === 'completed',
    );
    const result = page.locator(byTestId('tr-result-box'));
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getAttribute('data-passed')).toBe('true');
    expect(await result.innerText()).toContain('得分：100');
    await result.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, '62-training-passed');
    await expectAccessible(page, 'training result (zh-CN)');

    await page.locator(byTestId('tr-again')).click();
    await waitForAttr(page.locator(byTestId('training')), 'data-state', 'ready');
    expect(await page.locator(byTestId('tr-cert')).getAttribute('data-certified')).toBe('true');
    await page.locator(byTestId('locale-switch')).click();
    // The page was already `ready` in Chinese: wait for the switch to say English and the page to be drawn again in it.
    await page.locator(byTestId('locale-switch', '[data-locale="en"]')).waitFor();
    await waitForAttr(page.locator(byTestId('training')), 'data-state', 'ready');
    await until(
      'the training page drawn in English',
      () => page.locator(byTestId('tr-start')).innerText(),
      (text) => text === 'Start practice',
    );
    expect(await page.locator(byTestId('tr-cert')).innerText()).toContain('Certified');
    expect(await page.locator(byTestId('tr-start')).innerText()).toBe('Start practice');
    await expectAccessible(page, 'training page (en)');

    const sup = await openAs('supervisor1');
    await sup.locator(byTestId('certifications-link')).click();
    await waitForAttr(sup.locator(byTestId('certifications')), 'data-state', 'ready');
    const row = sup.locator(byTestId('tr-cert', `[data-trainee="agent1"][data-flow="${FLOW}"]`));
    expect(await row.getAttribute('data-certified')).toBe('true');
    expect(await row.innerText()).toContain('已认证');
    expect(await sup.locator(byTestId('tr-result')).count()).toBe(1);
    await screenshot(sup, '63-certifications');
    await expectAccessible(sup, 'certifications (zh-CN)');
  });
});
