import type { EvaluationModelView, Quadrant, QuadrantData } from '../../../protocol/evaluation.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { et, type EvaluationKey } from './evaluation-i18n.js';
import { ChartSlot, COLORS, dataTable, pct } from './widgets.js';

/** A 0–100 score as the evaluation page prints it. */
export const score = (s: number | null): string => (s === null ? '—' : s.toFixed(1));

const QUADRANTS: [Quadrant, EvaluationKey, string][] = [
  ['fix-first', 'fixFirst', COLORS.bad],
  ['keep-up', 'keepUp', COLORS.good],
  ['watch', 'watch', COLORS.offer],
  ['surplus', 'surplus', COLORS.a],
];

/** The importance × satisfaction quadrant: a scatter chart (one series per quadrant, the two splits as dashed lines) and the points' table. */
export class QuadrantView {
  readonly chart = new ChartSlot('quadrant-chart', et('quadrantChart'), 320);
  private readonly points = h('div');
  readonly element = h('div', { class: 'metrics-two' }, this.chart.element, this.points);

  constructor(
    private readonly model: EvaluationModelView,
    private readonly title: (flowId: string) => string,
  ) {}

  render(q: QuadrantData): void {
    const { model, title } = this;
    const stageName = (id: string) => pick(model.stages.find((s) => s.id === id)?.name) || id;
    const line = (points: { x: number; y: number }[]) => ({
      type: 'line',
      data: points,
      borderColor: COLORS.a,
      borderDash: [4, 4],
      pointRadius: 0,
      showLine: true,
      label: '',
    });
    this.chart.draw(
      'scatter',
      {
        labels: [],
        datasets: [
          ...QUADRANTS.map(([id, key, color]) => ({
            label: et(key),
            backgroundColor: color,
            pointRadius: 6,
            data: q.points.filter((p) => p.quadrant === id).map((p) => ({ x: Math.round(p.importance * 1000) / 10, y: p.satisfaction, name: title(p.flowId) })),
          })),
          line([
            { x: q.importanceSplit * 100, y: 0 },
            { x: q.importanceSplit * 100, y: 100 },
          ]),
          line([
            { x: 0, y: q.satisfactionSplit },
            { x: Math.max(40, ...q.points.map((p) => Math.ceil(p.importance * 100) + 5)), y: q.satisfactionSplit },
          ]),
        ],
      },
      {
        plugins: { legend: { labels: { filter: (item: { text: string }) => item.text !== '' } } },
        scales: {
          x: { title: { display: true, text: `${et('importance')} (%)` }, beginAtZero: true },
          y: { title: { display: true, text: q.satisfactionSource === 'satisfaction' ? et('satisfactionAxis') : et('perceptionAxis') }, min: 0, max: 100 },
        },
      },
    );
    const quadrantName = (id: Quadrant | null) => (id ? et(QUADRANTS.find(([x]) => x === id)![1]) : '—');
    this.points.replaceChildren(
      dataTable(
        'quadrant-points',
        [
          et('business'),
          et('stage'),
          et('calls'),
          et('importance'),
          q.satisfactionSource === 'satisfaction' ? et('satisfactionAxis') : et('score'),
          et('quadrantCol'),
        ],
        q.points.map((p) => ({
          attrs: { 'data-flow-id': p.flowId, 'data-quadrant': p.quadrant ?? '' },
          cells: [
            title(p.flowId),
            stageName(p.stage),
            { key: 'calls', value: p.calls, text: String(p.calls) },
            { key: 'importance', value: p.importance, text: pct(p.importance) },
            { key: 'satisfaction', value: p.satisfaction, text: score(p.satisfaction) },
            quadrantName(p.quadrant),
          ],
        })),
      ),
    );
  }
}
