import type { Lane } from '../../../protocol/flow-definition.js';
import { type ChartLike, loadChart, newChart } from '../app/chart-loader.js';
import { h } from '../app/dom.js';
import { errorText } from '../app/i18n.js';
import { duration } from '../app/format.js';
import { dt } from './dashboard-i18n.js';
import { downloadCsv } from './metrics-api.js';

/** How the dashboards print the API's numbers (the raw value stays on the cell as data-value). */
export const pct = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
export const ms = (value: number | null | undefined): string => duration(value === null || value === undefined ? null : Math.round(value));
export const num = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : String(value));
/** Chart values in seconds / percent (null stays a gap). */
export const sec = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : Math.round(value / 100) / 10);
export const percent = (rate: number | null | undefined): number | null => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10);

export type Cell = { value: unknown; text: string; key?: string } | string;

/** A table whose cells carry the raw API value (data-value, JSON) next to the printed one. */
export function dataTable(testid: string, heads: string[], rows: { attrs?: Record<string, string>; cells: Cell[] }[]): HTMLTableElement {
  return h(
    'table',
    { class: 'floor-table metrics-table', 'data-testid': testid },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.map((x) => h('th', {}, x)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            h(
              'tr',
              { 'data-testid': `${testid}-row`, ...r.attrs },
              r.cells.map((c) =>
                typeof c === 'string'
                  ? h('td', {}, c)
                  : h('td', { class: 'num', 'data-key': c.key ?? null, 'data-value': JSON.stringify(c.value ?? null) }, c.text),
              ),
            ),
          )
        : [h('tr', {}, h('td', { colspan: heads.length, class: 'muted' }, dt('noData')))],
    ),
  );
}

/** The "CSV" button of a table: the server's CSV for the same query, downloaded with the session's token. */
export function csvButton(token: string, testid: string, path: () => string | null, onError: (message: string) => void): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'csv-button',
      'data-testid': testid,
      onclick: () => {
        const p = path();
        if (p) void downloadCsv(token, p).catch((e: { code?: string }) => onError(errorText(e.code ?? 'INTERNAL')));
      },
    },
    `⬇ ${dt('csv')}`,
  );
}

/** A canvas with its chart: drawn when chart.js has loaded, later data updates the same chart (no re-creation). */
export class ChartSlot {
  readonly canvas: HTMLCanvasElement;
  readonly element: HTMLElement;
  private chart: ChartLike | null = null;
  private pending: { type: string; data: ChartLike['data']; options: Record<string, unknown> } | null = null;
  private gone = false;

  constructor(testid: string, ariaLabel: string, height = 220) {
    this.canvas = h('canvas', { 'data-testid': testid, 'aria-label': ariaLabel, role: 'img' });
    this.element = h('div', { class: 'metrics-chart', style: `height:${height}px` }, this.canvas);
  }

  draw(type: string, data: ChartLike['data'], options: Record<string, unknown> = {}): void {
    this.pending = { type, data, options };
    void loadChart().then((ok) => {
      if (!ok || this.gone || !this.pending) return;
      const next = this.pending;
      this.pending = null;
      if (this.chart) {
        this.chart.data = next.data;
        this.chart.options = { ...baseOptions(), ...next.options };
        this.chart.update('none');
      } else {
        this.chart = newChart(this.canvas, { type: next.type, data: next.data, options: { ...baseOptions(), ...next.options } });
      }
      this.canvas.dataset.drawn = String(Number(this.canvas.dataset.drawn ?? 0) + 1);
    });
  }

  destroy(): void {
    this.gone = true;
    this.chart?.destroy();
  }
}

const baseOptions = () => ({ animation: false, responsive: true, maintainAspectRatio: false });

/** The series colours (the blueprint marks' palette, docs/BLUEPRINTS). */
export const COLORS = {
  agent: '#0b63ce',
  wait: '#7b61ff',
  good: '#1a7f37',
  fcr: '#2f9e9e',
  offer: '#d9480f',
  accepted: '#1a7f37',
  eligible: '#f2a679',
  bad: '#c62828',
  a: '#8a97a6',
  b: '#0b63ce',
};
/** Lanes in lighter shades than agent/wait above, so the two bars of the split chart read apart. */
export const LANE_COLORS: Record<Lane, string> = { customer: '#f59f00', frontstage: '#74c0fc', backstage: '#868e96', support: '#c5b3ff' };

/** The holder of a table that may scroll sideways: focusable and named, so it can be scrolled from the keyboard (WCAG 2.1.1). */
export const tableHolder = (): HTMLElement => h('div', { class: 'metrics-table-holder', tabindex: '0', role: 'region', 'aria-label': dt('scrollableTable') });
