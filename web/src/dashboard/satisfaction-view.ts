import type { SatisfactionFigures, SatisfactionReport } from '../../../protocol/satisfaction.js';
import { h } from '../app/dom.js';
import { names } from '../app/names.js';
import { rt } from '../redesign/redesign-words.js';
import { dataTable, num, pct, tableHolder } from './widgets.js';

const figures = (f: SatisfactionFigures) => [
  { value: f.replies, text: num(f.replies), key: 'replies' },
  { value: f.averageRating, text: num(f.averageRating), key: 'averageRating' },
  { value: f.satisfiedRate, text: pct(f.satisfiedRate), key: 'satisfiedRate' },
];

/** The satisfaction widget of the dashboard (GET /api/metrics/satisfaction, docs/SATISFACTION.md): per business, version, channel, agent and step path. */
export class SatisfactionView {
  readonly element = h('div', { class: 'metrics-two', 'data-testid': 'satisfaction-view' });

  constructor(private readonly title: (flowId: string) => string) {}

  render(report: SatisfactionReport): void {
    const heads = (first: string) => [first, rt('replies'), rt('averageRating'), rt('satisfiedRate')];
    const holder = (table: HTMLElement) => {
      const el = tableHolder();
      el.append(table);
      return el;
    };
    this.element.replaceChildren(
      h(
        'div',
        {},
        h('h4', {}, rt('byBusiness')),
        holder(
          dataTable('satisfaction-business', heads(rt('business')), [
            ...report.byBusiness.map((b) => ({ attrs: { 'data-flow-id': b.flowId }, cells: [this.title(b.flowId), ...figures(b)] })),
          ]),
        ),
        h('h4', {}, rt('byChannel')),
        holder(
          dataTable(
            'satisfaction-channel',
            heads(rt('channel')),
            report.byChannel.map((c) => ({ attrs: { 'data-channel': c.channel }, cells: [rt(c.channel), ...figures(c)] })),
          ),
        ),
      ),
      h(
        'div',
        {},
        h('h4', {}, rt('byAgent')),
        holder(
          dataTable(
            'satisfaction-agent',
            heads(rt('agent')),
            report.byAgent.map((a) => ({ attrs: { 'data-agent': a.agentId }, cells: [a.agentId, ...figures(a)] })),
          ),
        ),
        h('h4', {}, rt('byVersion')),
        holder(
          dataTable(
            'satisfaction-version',
            heads(rt('version')),
            report.byVersion.map((v) => ({
              attrs: { 'data-flow-id': v.flowId, 'data-version': String(v.version) },
              cells: [names.flowVersion(v.flowId, v.version), ...figures(v)],
            })),
          ),
        ),
        h('h4', {}, rt('byStepPath')),
        holder(
          dataTable(
            'satisfaction-path',
            heads(rt('stepPath')),
            report.byStepPath.map((p) => ({
              attrs: { 'data-flow-id': p.flowId, 'data-path': p.path.join('>') },
              cells: [`${this.title(p.flowId)}: ${p.path.map((s) => names.step(p.flowId, s)).join(' › ')}`, ...figures(p)],
            })),
          ),
        ),
      ),
    );
  }
}
