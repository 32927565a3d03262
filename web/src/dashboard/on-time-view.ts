import type { OnTimeReport, OnTimeRow } from '../../../protocol/work-items.js';
import { h } from '../app/dom.js';
import { label } from '../app/i18n.js';
import { dt } from './dashboard-i18n.js';
import { dataTable, pct, tableHolder } from './widgets.js';

/** Work items kept on time (docs/FOLLOW-UP.md): one table per business, desk and customer tier. */
export class OnTimeView {
  readonly element = h('div', { class: 'metrics-grid on-time' });

  constructor(private readonly title: (flowId: string) => string) {}

  render(report: OnTimeReport): void {
    const table = (testid: string, by: string, rows: OnTimeRow[], name: (key: string) => string) => {
      const holder = tableHolder();
      holder.append(
        dataTable(
          testid,
          [dt('onTimeBy', { by }), dt('onTimeDue'), dt('onTimeOnTime'), dt('onTimeLate'), dt('onTimeOverdue'), dt('onTimeRate')],
          rows.map((r) => ({
            attrs: { 'data-key': r.key },
            cells: [
              name(r.key),
              { key: 'due', value: r.due, text: String(r.due) },
              { key: 'on-time', value: r.onTime, text: String(r.onTime) },
              { key: 'late', value: r.late, text: String(r.late) },
              { key: 'overdue', value: r.overdue, text: String(r.overdue) },
              { key: 'rate', value: r.rate ?? '', text: pct(r.rate) },
            ],
          })),
        ),
      );
      return holder;
    };
    this.element.replaceChildren(
      table('on-time-business', dt('business'), report.byBusiness, (k) => (k ? this.title(k) : '—')),
      table('on-time-desk', dt('onTimeDesk'), report.byDesk, (k) => k || '—'),
      table('on-time-tier', dt('onTimeTier'), report.byTier, (k) => (k ? label(k) : '—')),
    );
  }
}
