import { locale } from '../app/i18n.js';

/** The dashboards' own words (zh-CN / en), like the editor's (web/src/editor/editor-i18n.ts). */
const zh = {
  dashboards: '运营看板', heatMap: '蓝图热力图', liveFloor: '实时监控', backHome: '返回工作台',
  from: '开始日期（UTC）', to: '结束日期（UTC）', flow: '业务', version: '版本', region: '归属地', agent: '坐席', brand: '品牌', tier: '客户级别',
  fcrDays: 'FCR 窗口（天）', any: '全部', clear: '清空', loading: '加载中…', csv: 'CSV', noData: '没有数据',
  calls: '通话数', avgHandle: '平均处理时长', p90Handle: 'P90 处理时长', agentTime: '坐席操作（平均）', waitTime: '等待后台（平均）',
  handleSplit: '处理时长构成（平均，秒）', agentVsWait: '坐席 / 等待', byLane: '按泳道', agentPart: '坐席操作', waitPart: '等待后台',
  businesses: '各业务指标', business: '业务', segments: '通话数', segmentCount: '业务办理次数', successRate: '成功率', fcrRate: '一次解决率', agentSteps: '坐席步数（平均 / 最少）',
  target: '目标 ≤ {n}', overTarget: '超过目标', mktEligible: '营销机会', mktPresented: '已推荐', mktRate: '营销率', mktAccepted: '接受', mktConversion: '转化率',
  successFcr: '成功率与一次解决率（%）', stepsVsTarget: '坐席步数与目标', targetLine: '目标',
  offers: '营销（M 点与产品）', mPoint: 'M 点', offer: '产品', wholePoint: '（整个 M 点）', eligible: '符合条件', presented: '已推荐', accepted: '已接受', conversion: '转化率',
  compliance: '合规检查', check: '检查项', applicable: '适用通话', passed: '通过', passRate: '通过率',
  compare: '版本对比', versionA: '版本 A', versionB: '版本 B', metric: '指标', delta: '差值（B − A）', sample: '样本量',
  sampleOf: 'v{v}：{calls} 通通话，{segments} 次业务', compareRates: '比率对比（%）', pickVersions: '请选择一个业务及两个版本',
  measure: '着色指标', mAvg: '停留时间（平均）', mP90: '停留时间（P90）', mFailRate: '失败率', mDropOffs: '中断次数', mDropShare: '中断占比',
  legendNoData: '无数据 / 不适用', drawnVersion: '{flow} · 绘制版本 v{v}', steps: '各步骤数据', step: '步骤', lane: '泳道', marks: '标记', visits: '经过次数',
  avg: '平均', p90: 'P90', waits: '等待次数', waitP50: '等待 P50', waitP90: '等待 P90', failures: '失败', failRate: '失败率', causes: '主要原因', dropOffs: '中断', dropShare: '中断占比',
  chooseFlow: '请选择一个业务',
} as const;

export type DashboardKey = keyof typeof zh;

const en: Record<DashboardKey, string> = {
  dashboards: 'Dashboards', heatMap: 'Blueprint heat map', liveFloor: 'Live floor', backHome: 'Back to the desk',
  from: 'From (UTC)', to: 'To (UTC)', flow: 'Business', version: 'Version', region: 'Region', agent: 'Agent', brand: 'Brand', tier: 'Tier',
  fcrDays: 'FCR window (days)', any: 'any', clear: 'Clear', loading: 'Loading…', csv: 'CSV', noData: 'No data',
  calls: 'Calls', avgHandle: 'Avg handle time', p90Handle: 'P90 handle time', agentTime: 'Agent time (avg)', waitTime: 'Back-end wait (avg)',
  handleSplit: 'Handle time split (avg, s)', agentVsWait: 'Agent / wait', byLane: 'By lane', agentPart: 'Agent', waitPart: 'Back-end wait',
  businesses: 'By business', business: 'Business', segments: 'Calls', segmentCount: 'Business segments', successRate: 'Success', fcrRate: 'FCR', agentSteps: 'Agent steps (avg / min)',
  target: 'target ≤ {n}', overTarget: 'Over target', mktEligible: 'Offer chances', mktPresented: 'Presented', mktRate: 'Marketing rate', mktAccepted: 'Accepted', mktConversion: 'Conversion',
  successFcr: 'Success and FCR (%)', stepsVsTarget: 'Agent steps vs target', targetLine: 'Target',
  offers: 'Marketing (M points and offers)', mPoint: 'M point', offer: 'Offer', wholePoint: '(the M point)', eligible: 'Eligible', presented: 'Presented', accepted: 'Accepted', conversion: 'Conversion',
  compliance: 'Compliance checks', check: 'Check', applicable: 'Applicable calls', passed: 'Passed', passRate: 'Pass rate',
  compare: 'Version comparison', versionA: 'Version A', versionB: 'Version B', metric: 'Metric', delta: 'Difference (B − A)', sample: 'Sample',
  sampleOf: 'v{v}: {calls} calls, {segments} business segments', compareRates: 'Rates compared (%)', pickVersions: 'Choose a business and two versions',
  measure: 'Colour by', mAvg: 'Time spent (avg)', mP90: 'Time spent (p90)', mFailRate: 'Failure rate', mDropOffs: 'Drop-offs', mDropShare: 'Drop-off share',
  legendNoData: 'no data / not applicable', drawnVersion: '{flow} · drawn: v{v}', steps: 'Step figures', step: 'Step', lane: 'Lane', marks: 'Marks', visits: 'Visits',
  avg: 'Avg', p90: 'P90', waits: 'Waits', waitP50: 'Wait p50', waitP90: 'Wait p90', failures: 'Failures', failRate: 'Failure rate', causes: 'Top causes', dropOffs: 'Drop-offs', dropShare: 'Drop-off share',
  chooseFlow: 'Choose a business',
};

export const dt = (key: DashboardKey, params: Record<string, string | number> = {}): string =>
  (locale() === 'en' ? en : zh)[key].replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''));
