import type { CustomerLookup, CustomerProfile } from '../../../protocol/customers.js';
import { h } from '../app/dom.js';
import { label, locale, pick, t } from '../app/i18n.js';
import { names } from '../app/names.js';

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
  );
}
