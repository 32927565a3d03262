import type { CallPage } from '../../../protocol/qa.js';
import { type CallFilter, qaApi } from './qa-api.js';
import { saveFile } from '../app/format.js';

const PAGE = 500;

/** Every call the filter finds (pages of 500 merged), downloaded as CSV or JSON. */
export async function exportCalls(token: string, filter: CallFilter, format: 'csv' | 'json'): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (format === 'json') {
    const first = JSON.parse(await qaApi.exportPage(token, filter, 'json', 1, PAGE)) as CallPage;
    const calls = [...first.calls];
    for (let page = 2; calls.length < first.total; page++) {
      const next = JSON.parse(await qaApi.exportPage(token, filter, 'json', page, PAGE)) as CallPage;
      if (!next.calls.length) break;
      calls.push(...next.calls);
    }
    saveFile(`calls-${stamp}.json`, 'application/json', JSON.stringify({ filter, total: first.total, totalCapped: first.totalCapped, calls }, null, 2));
    return;
  }
  const lines: string[] = [];
  for (let page = 1; ; page++) {
    const rows = (await qaApi.exportPage(token, filter, 'csv', page, PAGE)).split('\r\n').filter((l) => l !== '');
    if (page === 1) lines.push(rows[0] ?? '');
    lines.push(...rows.slice(1));
    if (rows.length - 1 < PAGE) break;
  }
  saveFile(`calls-${stamp}.csv`, 'text/csv;charset=utf-8', lines.join('\r\n') + '\r\n');
}
