/** Reading the dashboards the way a reviewer checks them: table rows with their raw values, the chart.js data and the pixels it painted, a section's readiness. */
import type { Page } from 'playwright-core';
import { byTestId, until } from './browser';

/** The lines of a CSV export (CRLF). */
export const csvLines = (text: string) => text.trim().split('\r\n');

export type Row = { attrs: Record<string, string>; values: Record<string, unknown>; text: string[] };

/** The rows of a dashboard table: their data attributes, the raw API value of each keyed cell, the printed cells. */
export const tableRows = (page: Page, testid: string): Promise<Row[]> =>
  page.locator(byTestId(`${testid}-row`)).evaluateAll((trs) =>
    trs.map((tr) => ({
      attrs: { ...(tr as HTMLElement).dataset } as Record<string, string>,
      values: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [td.dataset.key!, JSON.parse(td.dataset.value!)])),
      text: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );

/** The chart.js instance on a canvas: its labels and datasets (the page's real chart, via Chart.getChart). */
export const chartData = (page: Page, testid: string) =>
  page.evaluate((id) => {
    const chart = (window as any).Chart?.getChart(document.querySelector(`[data-testid="${id}"]`));
    return chart ? { labels: chart.data.labels, datasets: chart.data.datasets.map((d: any) => ({ label: d.label, data: d.data })) } : null;
  }, testid);

/** Pixels the chart painted (non-transparent) on its canvas. */
export const paintedPixels = (page: Page, testid: string) =>
  page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`)!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, testid);

export async function expectChart(page: Page, testid: string, expected: { labels: string[]; data: (number | null)[][] } | { data: (number | null)[][] }) {
  const got = await until(
    `${testid} drawn with the data`,
    () => chartData(page, testid),
    (c) => !!c && JSON.stringify(c.datasets.map((d: any) => d.data)) === JSON.stringify(expected.data),
    10_000,
    100,
  );
  if ('labels' in expected) expect(got!.labels).toEqual(expected.labels);
  expect(await paintedPixels(page, testid)).toBeGreaterThan(500);
}

/** The section has drawn the answer to exactly this query. */
export const drawn = (page: Page, testid: string, query: string) =>
  until(
    `${testid} ready for '${query}'`,
    async () => page.locator(byTestId(testid)).evaluate((el) => `${(el as HTMLElement).dataset.state}|${(el as HTMLElement).dataset.query}`),
    (v) => v === `ready|${query}`,
    15_000,
    50,
  );
