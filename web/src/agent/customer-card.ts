import type { ContactHistory, CustomerLookup, CustomerProfile } from '../../../protocol/customers.js';
import { h } from '../app/dom.js';
import { label, locale, pick, t } from '../app/i18n.js';
import { names } from '../app/names.js';
import { time } from '../app/format.js';
import { w } from '../worklist/worklist-words.js';

/** The screen pop: who is calling, with badges for what matters to the chosen business. */
export function renderCustomerCard(lookup: CustomerLookup, flowId: string | undefined): HTMLElement {
  const c: CustomerProfile = lookup.customer;
  const rules = lookup.flows.find((f) => f.flowId === flowId)?.rules ?? [];
  const badges = [
    ...rules.map((rule) => {
      const failed = rule.checks.filter((check) => !check.passed);
      const text = failed.length ? `${pick(rule.title)} ✗ ${failed.map((f) => pick(f.label)).join('、')}` : `${pick(rule.title)} ✓`;
      return h(
        'span',
        {
          class: failed.length ? 'badge bad' : 'badge good',
          'data-testid': 'customer-badge',
          'data-badge': rule.id,
          'data-passed': String(!failed.length),
          title: failed.map((f) => pick(f.reason)).join('\n'),
        },
        text,
      );
    }),
    c.arrearsYuan > 0
      ? h('span', { class: 'badge bad', 'data-testid': 'customer-badge', 'data-badge': 'arrears', 'data-passed': 'false' }, `${t('arrears')} ¥${c.arrearsYuan}`)
      : null,
    c.status !== 'active'
      ? h('span', { class: 'badge bad', 'data-testid': 'customer-badge', 'data-badge': 'status', 'data-passed': 'false' }, label(c.status))
      : null,
    c.tier !== 'standard'
      ? h('span', { class: 'badge vip', 'data-testid': 'customer-badge', 'data-badge': 'tier', 'data-passed': 'true' }, label(c.tier))
      : null,
  ];
  const row = (key: Parameters<typeof t>[0], value: string, testid: string) =>
    h('div', { class: 'field' }, h('dt', {}, t(key)), h('dd', { 'data-testid': testid }, value));
  return h(
    'section',
    { class: 'card customer', 'data-testid': 'customer-card', 'data-msisdn': c.msisdn },
    h('h2', {}, t('customer')),
    h('div', { class: 'badges' }, badges),
    h(
      'dl',
      {},
      row('name', c.name, 'customer-name'),
      h('div', { class: 'field' }, h('dt', {}, t('callerNumber')), h('dd', { 'data-testid': 'customer-msisdn' }, c.msisdn)),
      row('brand', label(c.brand), 'customer-brand'),
      row('tier', label(c.tier), 'customer-tier'),
      row('region', names.region(c.region), 'customer-region'),
      row('status', label(c.status), 'customer-status'),
      row('arrears', c.arrearsYuan > 0 ? `¥${c.arrearsYuan}` : t('none'), 'customer-arrears'),
      row('services', c.services.length ? c.services.map(names.service).join(locale() === 'zh-CN' ? '、' : ', ') : t('none'), 'customer-services'),
    ),
    renderHistory(lookup.history),
  );
}

const joined = (xs: string[]) => xs.join(locale() === 'zh-CN' ? '、' : ', ');
const inParens = (x: string) => (locale() === 'zh-CN' ? `（${x}）` : ` (${x})`);

/** The caller's history: the repeat-call mark, what they are waiting for (first), their recent calls. */
function renderHistory(history: ContactHistory): HTMLElement {
  const repeat = history.repeatOf;
  return h(
    'div',
    { class: 'contact-history', 'data-testid': 'contact-history' },
    repeat
      ? h(
          'p',
          { class: 'badge bad', 'data-testid': 'repeat-call', 'data-call-id': repeat.callId },
          t('historyRepeat', { days: repeat.fcrDays, when: time(repeat.startedAt), businesses: joined(repeat.flowIds.map(names.flow)) }),
        )
      : null,
    history.items.length
      ? h(
          'div',
          {},
          h('h3', {}, t('historyItems')),
          h(
            'ul',
            {},
            history.items.map((i) =>
              h(
                'li',
                {
                  'data-testid': 'history-item',
                  'data-id': i.id,
                  'data-status': i.status,
                  'data-overdue': String(i.overdue),
                  class: i.overdue ? 'overdue' : '',
                },
                `${w(`type.${i.type}`)} · ${i.business ? names.flow(i.business) : ''} · ${w(`status.${i.status}`)} · ${t('historyDue', { when: time(i.dueAt) })}`,
                i.overdue ? h('span', { class: 'badge bad' }, w('wiOverdue')) : '',
              ),
            ),
          ),
        )
      : null,
    h('h3', {}, t('historyCalls')),
    history.recentCalls.length
      ? h(
          'ul',
          {},
          history.recentCalls.map((c) =>
            h(
              'li',
              { 'data-testid': 'history-call', 'data-call-id': c.callId },
              `${time(c.startedAt)} · ${joined(c.businesses.map((b) => `${names.flow(b.flowId)}${b.outcome ? inParens(names.status(b.outcome)) : ''}`))} · ${c.agent}`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('historyNoCalls')),
  );
}
