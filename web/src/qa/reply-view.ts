import type { LocalizedText } from '../../../protocol/flow-definition.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { names, untranslated } from '../app/names.js';
import { time } from '../app/format.js';

/**
 * A back end's reply (src/backend/backend.port.ts: check results, receipts, account queries) as
 * fields a reviewer reads in the screen's language; the reply as logged (JSON) only behind a
 * disclosure, as technical detail.
 */
const FIELDS: Record<string, LocalizedText> = {
  ok: { 'zh-CN': '核验结果', en: 'Check result' },
  locked: { 'zh-CN': '核验已锁定', en: 'Verification locked' },
  ticketId: { 'zh-CN': '受理单号', en: 'Ticket' },
  receiptId: { 'zh-CN': '受理单号', en: 'Receipt' },
  action: { 'zh-CN': '办理事项', en: 'Request' },
  effective: { 'zh-CN': '生效', en: 'Takes effect' },
  effectiveAt: { 'zh-CN': '生效时间', en: 'Takes effect at' },
  sms: { 'zh-CN': '短信', en: 'Text message' },
  sent: { 'zh-CN': '已发送', en: 'Sent' },
  messageId: { 'zh-CN': '短信编号', en: 'Message number' },
  error: { 'zh-CN': '未发送原因', en: 'Not sent because' },
  bills: { 'zh-CN': '已出账账单', en: 'Issued bills' },
  latest: { 'zh-CN': '最近一期账单', en: 'Latest bill' },
  month: { 'zh-CN': '账期', en: 'Month' },
  totalYuan: { 'zh-CN': '合计（元）', en: 'Total (¥)' },
  items: { 'zh-CN': '明细', en: 'Items' },
  points: { 'zh-CN': '可用积分', en: 'Points available' },
  plan: { 'zh-CN': '套餐', en: 'Plan' },
  monthlyYuan: { 'zh-CN': '月租（元）', en: 'Monthly fee (¥)' },
  services: { 'zh-CN': '已开通业务', en: 'Subscribed services' },
  count: { 'zh-CN': '数量', en: 'Count' },
  roamingOpen: { 'zh-CN': '国际漫游已开通', en: 'International roaming open' },
  intlLongDistance: { 'zh-CN': '国际长途已开通', en: 'International calls open' },
  handsetMode: { 'zh-CN': '终端网络制式', en: 'Handset network' },
  code: { 'zh-CN': '原因', en: 'Cause' },
};

const YES: LocalizedText = { 'zh-CN': '是', en: 'yes' };
const NO: LocalizedText = { 'zh-CN': '否', en: 'no' };
const PASSED: LocalizedText = { 'zh-CN': '通过', en: 'passed' };
const NOT_PASSED: LocalizedText = { 'zh-CN': '未通过', en: 'not passed' };
const NONE: LocalizedText = { 'zh-CN': '无', en: 'none' };
/** Between the items of a list, and between its entries, as each language writes them. */
const LIST: LocalizedText = { 'zh-CN': '、', en: ', ' };
const ENTRIES: LocalizedText = { 'zh-CN': '；', en: '; ' };
const TECHNICAL: LocalizedText = { 'zh-CN': '技术细节（原始返回）', en: 'Technical detail (the reply as logged)' };

const EFFECTIVE: Record<string, LocalizedText> = {
  now: { 'zh-CN': '立即生效', en: 'at once' },
  'next-month': { 'zh-CN': '下月1日生效', en: 'on the 1st of next month' },
};

/** The provisioning requests (src/backend/backend.port.ts PROVISION_ACTIONS). */
const ACTIONS: Record<string, LocalizedText> = {
  resume: { 'zh-CN': '复机', en: 'Resume the line' },
  unsubscribe: { 'zh-CN': '退订业务', en: 'Unsubscribe a service' },
  subscribe: { 'zh-CN': '订购业务', en: 'Subscribe a service' },
  'open-roaming': { 'zh-CN': '开通国际漫游', en: 'Open international roaming' },
  'open-intl-long-distance': { 'zh-CN': '开通国际长途', en: 'Open international calls' },
  'change-plan': { 'zh-CN': '变更套餐', en: 'Change the plan' },
  'change-brand': { 'zh-CN': '变更品牌', en: 'Change the brand' },
  'redeem-points': { 'zh-CN': '积分兑换', en: 'Redeem points' },
  'reset-password': { 'zh-CN': '重置服务密码', en: 'Reset the service password' },
  'open-product': { 'zh-CN': '开通产品', en: 'Open a product' },
  'raise-work-order': { 'zh-CN': '提交工单', en: 'Raise a work order' },
  'transfer-desk': { 'zh-CN': '转专席', en: 'Transfer to a specialist desk' },
  'customise-bill': { 'zh-CN': '账单定制', en: 'Customise the bill' },
  'cross-region-service': { 'zh-CN': '跨区业务', en: 'Cross-region service' },
  'replace-sim': { 'zh-CN': '补办SIM卡', en: 'Replace the SIM' },
  'order-phone': { 'zh-CN': '在线购机下单', en: 'Order a phone online' },
  'top-up': { 'zh-CN': '充值交费', en: 'Top up' },
  'send-call-details': { 'zh-CN': '发送详单', en: 'Send the itemised bill' },
  'push-apn-settings': { 'zh-CN': '下发APN设置', en: 'Send the APN settings' },
};

const named = (dict: Record<string, LocalizedText>, kind: string, id: string): string => {
  if (dict[id]) return pick(dict[id]);
  untranslated.add(`${kind}:${id}`);
  return id;
};

const isLocalized = (v: unknown): v is LocalizedText =>
  !!v && typeof v === 'object' && typeof (v as LocalizedText)['zh-CN'] === 'string' && typeof (v as LocalizedText).en === 'string';

/** One value as words: yes/no, a localized name in the screen's language, ids by their names, a bill item as name and amount. */
function valueOf(key: string, v: unknown): string | HTMLElement {
  if (v === null || v === undefined) return pick(NONE);
  if (typeof v === 'boolean') return key === 'ok' ? pick(v ? PASSED : NOT_PASSED) : pick(v ? YES : NO);
  if (isLocalized(v)) return pick(v);
  if (key === 'action' && typeof v === 'string') return named(ACTIONS, 'provision action', v);
  if (key === 'effective' && typeof v === 'string') return named(EFFECTIVE, 'effective', v);
  if (key === 'effectiveAt' && typeof v === 'string') return time(v);
  if (key === 'code' && typeof v === 'string') return names.cause(v);
  if (key === 'services' && Array.isArray(v)) return v.length ? v.map((s) => names.service(String(s))).join(pick(LIST)) : pick(NONE);
  if (key === 'items' && Array.isArray(v))
    return h(
      'ul',
      {},
      v.map((i: { name?: unknown; yuan?: unknown }) => h('li', {}, `${isLocalized(i?.name) ? pick(i.name) : String(i?.name ?? '')}: ${String(i?.yuan ?? '')}`)),
    );
  if (key === 'bills' && Array.isArray(v))
    return v.map((b: { month?: unknown; totalYuan?: unknown }) => `${String(b?.month)} · ${String(b?.totalYuan)}`).join(pick(ENTRIES));
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(pick(LIST));
  if (typeof v === 'object') return fields(v as Record<string, unknown>);
  return String(v);
}

/** The fields of a reply (nested ones as nested lists); the back end's own message (its words, English) is left to the raw reply. */
function fields(o: Record<string, unknown>): HTMLElement {
  const shown = Object.entries(o).filter(([k]) => k !== 'message' && k !== 'id');
  return h(
    'dl',
    { class: 'qa-reply-fields' },
    shown.map(([k, v]) => h('div', { class: 'field', 'data-field': k }, h('dt', {}, named(FIELDS, 'reply field', k)), h('dd', {}, valueOf(k, v)))),
  );
}

/** What the reply says (its output, or its error's cause), then the raw reply behind a disclosure. */
export function renderReplyFields(reply: { ok: boolean; output?: unknown; error?: unknown }): HTMLElement[] {
  const body = reply.ok ? (reply.output ?? null) : (reply.error ?? null);
  const readable = body && typeof body === 'object' && !Array.isArray(body) ? fields(body as Record<string, unknown>) : h('p', {}, String(valueOf('', body)));
  const raw = h(
    'details',
    { class: 'qa-reply-raw' },
    h('summary', {}, pick(TECHNICAL)),
    h('pre', { class: 'payload', tabindex: '0' }, JSON.stringify(body, null, 2)),
  );
  return [readable, raw];
}
