/**
 * Test dialling in real Chromium (issue 21 item 5, docs/CAMPAIGNS.md): supervisor1 opens
 * suspend-service v2 in the flow editor, runs a seeded campaign of 10 calls from the test dialling
 * tab and reads the table — calls and successes per brand (with the chart), failures by step and
 * cause, each call — as the API answers it; qa1 reads the kept campaign but has no run button.
 * Screenshots, axe.
 */
import type { Page } from 'playwright-core';
import { byTestId, until, waitForAttr } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { useBrowserSuite } from '../support/browser-suite';
import { chartData, tableRows } from '../support/dashboard-page';

const SUSPEND = 'suspend-service';

describe('test dialling campaigns (real browser)', () => {
  const { openAs, screenshot } = useBrowserSuite({ users: ['supervisor1', 'qa1'] });

  async function openTab(user: string): Promise<Page> {
    const page = await openAs(user);
    await page.locator(byTestId('open-editor')).click();
    await page.locator(byTestId('editor-flow')).first().waitFor();
    await page.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="2"]`).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-version', '2');
    await page.locator(byTestId('tab-campaigns')).click();
    await page.locator(byTestId('campaigns')).waitFor();
    return page;
  }

  it('supervisor1 runs a seeded campaign and reads the field report table, with its chart', async () => {
    const page = await openTab('supervisor1');
    // The table fills in once the version's campaigns are fetched: wait for it, do not read it empty.
    await page.locator(byTestId('campaign-table')).filter({ hasText: '此版本还没有拨测记录' }).waitFor();
    await page.locator(byTestId('campaign-calls')).fill('10');
    await page.locator(byTestId('campaign-seed')).fill('1');
    await page.locator(byTestId('campaign-run')).click();
    await page.locator(byTestId('campaign-summary')).waitFor();
    const summary = await page.locator(`${byTestId('campaign-summary')} dd`).allInnerTexts();
    expect(summary).toEqual(['10', '7', '70.0%', '45.5%']);
    expect((await tableRows(page, 'campaign-brands')).map((r) => [r.attrs.brand, r.text])).toEqual([
      ['gotone', ['全球通', '2', '2']],
      ['easyown', ['神州行', '4', '1']],
      ['mzone', ['动感地带', '4', '4']],
    ]);
    expect((await tableRows(page, 'campaign-failures')).map((r) => [r.attrs.step, r.attrs.cause, r.values, r.text.slice(0, 2)])).toEqual([
      ['execute-failed', 'BOSS_UNAVAILABLE', { count: 3 }, ['停机未成功', '计费系统不可用']],
    ]);
    const calls = await tableRows(page, 'campaign-calls-table');
    expect(calls.map((r) => [r.attrs.success, r.values.trajectoryMatch])).toEqual([
      ['true', 0.0909],
      ['true', 1],
      ['true', 0.0909],
      ['false', 0.7273],
      ['false', 0.7273],
      ['false', 0.7273],
      ['true', 0.0909],
      ['true', 0.0909],
      ['true', 0.0909],
      ['true', 0.9091],
    ]);
    await until(
      'the chart',
      () => chartData(page, 'campaign-chart'),
      (c) => !!c && c.datasets.length === 2,
    );
    const chart = (await chartData(page, 'campaign-chart'))!;
    expect([chart.labels, chart.datasets.map((d: { data: number[] }) => d.data)]).toEqual([
      ['全球通', '神州行', '动感地带'],
      [
        [2, 4, 4],
        [2, 1, 4],
      ],
    ]);
    await screenshot(page, '73-editor-test-dialling', { fullPage: true });
    await expectAccessible(page, 'editor: test dialling (zh-CN)');
  });

  it('qa1 reads the kept campaign in English, without a run button', async () => {
    const page = await openAs('qa1');
    await page.locator(byTestId('locale-switch')).click();
    await page.locator(byTestId('locale-switch', '[data-locale="en"]')).waitFor();
    await page.locator(byTestId('open-editor')).click();
    await page.locator(byTestId('editor-flow')).first().waitFor();
    await page.locator(`${byTestId('editor-version')}[data-flow-id="${SUSPEND}"][data-version="2"]`).click();
    await waitForAttr(page.locator(byTestId('version-head')), 'data-version', '2');
    await page.locator(byTestId('tab-campaigns')).click();
    await page.locator(byTestId('campaign-summary')).waitFor();
    expect(await page.locator(byTestId('campaign-run')).count()).toBe(0);
    expect(await page.locator(byTestId('campaign-select')).locator('option').count()).toBe(1);
    const failures = await tableRows(page, 'campaign-failures');
    expect(failures.map((r) => r.text[0])).toEqual(['Suspension not completed']);
    await screenshot(page, '74-editor-test-dialling-qa-en', { fullPage: true });
    await expectAccessible(page, 'editor: test dialling, QA (en)');
  });
});
