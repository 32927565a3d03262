import { translate, type Words } from '../app/i18n.js';

/** The quick answers' words (zh-CN / en): docs/KNOWLEDGE.md, scenario answers. */
const zh = {
  qaTitle: '快捷解答',
  listSep: '、',
  qaTell: '已告知客户',
  qaTold: '✓ 已记录',
  qaUnavailable: '支撑系统暂未返回',
  qaNoCall: '通话中可记录',
  billRise: '{month}账单 ¥{total}（上月 ¥{previous}），增加最多：{rises}',
  billSame: '{month}账单 ¥{total}，各项未高于上月',
  billRiseItem: '{name} +¥{rise}',
  services: '已订业务：{list}',
  noServices: '未订任何业务',
  plan: '当前套餐：{name}，月租 ¥{monthly}',
  points: '积分余额：{points}',
  balance: '话费余额 ¥{balance}，欠费 ¥{arrears}',
  dataLeft: '本月剩余流量 {left} MB（共 {allowance} MB，已用 {used} MB）：{packs}',
  dataOver: '本月剩余流量 {left} MB（共 {allowance} MB，已用 {used} MB，超出 {over} MB 按量计费）：{packs}',
  dataPack: '{name} 剩 {left}/{allowance} MB',
  noData: '本月没有流量套餐或流量包',
};
const en: typeof zh = {
  qaTitle: 'Quick answers',
  listSep: ', ',
  qaTell: 'Told the caller',
  qaTold: '✓ Logged',
  qaUnavailable: 'The support systems have not answered',
  qaNoCall: 'Logged during a call',
  billRise: '{month} bill ¥{total} (previous ¥{previous}); rose most: {rises}',
  billSame: '{month} bill ¥{total}; no item above the month before',
  billRiseItem: '{name} +¥{rise}',
  services: 'Subscribed: {list}',
  noServices: 'No services subscribed',
  plan: 'Plan: {name}, ¥{monthly} a month',
  points: 'Points: {points}',
  balance: 'Credit ¥{balance}, owed ¥{arrears}',
  dataLeft: 'Data left this month {left} MB (of {allowance} MB, {used} MB used): {packs}',
  dataOver: 'Data left this month {left} MB (of {allowance} MB, {used} MB used, {over} MB beyond an allowance billed per MB): {packs}',
  dataPack: '{name} {left}/{allowance} MB left',
  noData: 'No data allowance or pack this month',
};

export const quickAnswerWords: Words<keyof typeof zh> = { 'zh-CN': zh, en };
export const qw = (key: keyof typeof zh, params: Record<string, string | number> = {}): string => translate(quickAnswerWords, key, params);
