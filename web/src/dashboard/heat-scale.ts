import { h } from '../dom.js';
import { type DashboardKey, dt } from './dashboard-i18n.js';
import type { StepMetrics } from './metrics-api.js';
import { ms, pct } from './widgets.js';

/** Cold → hot (ColorBrewer YlOrRd, 5 classes), interpolated linearly in RGB between the stops. */
export const PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
/** A step with no figure: not visited under the filter, or the measure does not apply (failure rate of a non-F step). */
export const NO_DATA = '#e4e9ef';
export const LEGEND_TICKS = 5;

export type MeasureId = 'avgMs' | 'p90Ms' | 'failureRate' | 'dropOffs' | 'dropOffShare';

export interface Measure {
  id: MeasureId;
  label: DashboardKey;
  value: (step: StepMetrics, totalDropOffs: number) => number | null;
  format: (v: number | null) => string;
}

const count = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100) / 100));

export const MEASURES: Measure[] = [
  { id: 'avgMs', label: 'mAvg', value: (s) => (s.visits ? s.avgMs : null), format: ms },
  { id: 'p90Ms', label: 'mP90', value: (s) => (s.visits ? s.p90Ms : null), format: ms },
  { id: 'failureRate', label: 'mFailRate', value: (s) => s.failures.rate, format: pct },
  { id: 'dropOffs', label: 'mDropOffs', value: (s) => (s.visits ? s.dropOffs : null), format: count },
  { id: 'dropOffShare', label: 'mDropShare', value: (s, total) => (total > 0 ? s.dropOffs / total : null), format: pct },
];

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const hex = (c: number[]) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

/** The colour of a value on the scale [0, max]: value / max along the palette (max 0: everything is cold). */
export function heatColor(value: number | null, max: number): string {
  if (value === null) return NO_DATA;
  const t = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const p = t * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(p));
  const [a, b] = [rgb(PALETTE[i]), rgb(PALETTE[i + 1])];
  return hex(a.map((x, k) => x + (b[k] - x) * (p - i)));
}

/** Dark fills get white text. */
export function isDark(color: string): boolean {
  const [r, g, b] = rgb(color);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 140;
}

/** The legend: the gradient from 0 to the largest value, with numbers under it, and the no-data swatch. */
export function renderLegend(measure: Measure, max: number): HTMLElement {
  const ticks = Array.from({ length: LEGEND_TICKS }, (_, i) => (max * i) / (LEGEND_TICKS - 1));
  return h(
    'div',
    {
      class: 'heat-legend',
      'data-testid': 'heat-legend',
      'data-measure': measure.id,
      'data-min': '0',
      'data-max': JSON.stringify(max),
      'data-cold': PALETTE[0],
      'data-hot': PALETTE[PALETTE.length - 1],
    },
    h('strong', {}, dt(measure.label)),
    h(
      'div',
      { class: 'heat-scale' },
      h('div', { class: 'heat-gradient', style: `background: linear-gradient(to right, ${PALETTE.join(', ')})` }),
      h(
        'div',
        { class: 'heat-ticks' },
        ticks.map((v) => h('span', { 'data-testid': 'heat-tick', 'data-value': JSON.stringify(v) }, measure.format(v))),
      ),
    ),
    h('span', { class: 'heat-nodata' }, h('span', { class: 'swatch', style: `background:${NO_DATA}` }), dt('legendNoData')),
  );
}
