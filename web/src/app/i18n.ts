import type { Locale, LocalizedText } from '../../../protocol/flow-definition.js';
const zh = {
  appTitle: '来话助手',
  login: '登录', username: '用户名', password: '密码', loginFailed: '用户名或密码错误', loginThrottled: '登录失败次数过多，请 {seconds} 秒后再试', logout: '退出',
  online: '已连接', reconnecting: '正在重新连接…', offline: '未连接',
  callerNumber: '来电号码', pop: '弹屏', popHint: '输入来电号码后按回车',
  customer: '客户信息', name: '姓名', brand: '品牌', tier: '客户级别', region: '归属地', status: '号码状态', arrears: '欠费', services: '已订业务', none: '无',
  chooseBusiness: '选择业务', searchFlows: '搜索业务（如：停机、suspend、lost phone）', noFlows: '没有匹配的业务',
  lane: '泳道', progress: '办理进度', script: '话术', customerSays: '客户', agentSays: '坐席',
  prompts: '必须告知客户（逐项勾选）', promptsFirst: '请先勾选全部关怀提醒', offers: '推荐产品', chooseOffer: '请选择客户接受的产品',
  holding: '等待中', elapsed: '已等待', seconds: '秒', rules: '规则检查',
  summary: '通话小结', outcome: '结果', stepsDone: '办理过程', offered: '推荐过的产品', accepted: '客户接受', reminders: '已告知的提醒', nextCall: '下一通电话',
  notFound: '未找到该号码的客户', required: '必填', digitsOnly: '只能输入数字', exactDigits: '需为{n}位数字',
  roleHomeSupervisor: '主管工作台', roleHomeQa: '质检工作台', takeCalls: '去接听电话', flows: '业务流程', version: '版本',
  lookUpCall: '查询通话', callId: '通话编号', replay: '回放校验', deterministic: '回放一致', notDeterministic: '回放不一致', events: '事件',
  eligible: '符合条件', notEligible: '不符合条件', hangUp: '挂机', businesses: '本次来电的业务', queued: '待办理', startHotline: '接入来电（进入人工服务）',
  // QA review
  qaFindCalls: '查找通话', qaAgent: '坐席', qaBusiness: '业务', qaAny: '全部', qaFrom: '开始日期', qaTo: '结束日期', qaNumber: '来电号码',
  qaFailedCheck: '未通过的检查', qaMinDuration: '最短时长（秒）', qaMaxDuration: '最长时长（秒）', qaSearch: '查找', qaReset: '清空',
  qaTotal: '共 {n} 通', qaPage: '第 {page} / {pages} 页', qaPrev: '上一页', qaNext: '下一页', qaExportCsv: '导出 CSV', qaExportJson: '导出 JSON',
  qaStarted: '开始时间', qaDuration: '时长', qaFailed: '未通过', qaOpen: '打开', qaNoCalls: '没有符合条件的通话', qaBack: '返回',
  qaReplayOf: '通话回放', qaChainIntact: '日志链完整', qaChainBroken: '日志链断裂（seq {seq}：{reason}）', qaDivergence: '首个不一致：seq {seq} 的 {field}',
  qaTotals: '总时长 {total} · 等待 {wait} · 坐席 {agent} · {steps} 步', qaTimeline: '步骤时间线', qaStepOf: '第 {n} / {total} 步',
  qaPrevStep: '← 上一步', qaNextStep: '下一步 →', qaTimeSpent: '停留时间', qaWait: '等待后台', qaChosen: '选择', qaInputsGiven: '录入内容',
  qaReply: '后台返回', qaReplyOk: '成功', qaReplyFailed: '失败', qaLatency: '耗时', qaConfirmed: '已确认', qaNotConfirmed: '未确认',
  qaOptions: '可选操作', qaNoAction: '（通话在此结束）', qaActionTimeout: '后台超时', qaActionHangup: '通话挂断', qaStayed: '（停留在本步）',
  qaChecks: '自动检查', qaPassed: '通过', qaCheckFailed: '未通过', qaNotApplicable: '不适用',
  qaScorecard: '质检评分', qaScore: '得分', qaComment: '备注', qaOverallComment: '总体评价', qaSave: '保存评分', qaSaveRevision: '保存修订',
  qaAutoScore: '自动检查得分 {score}', qaOverrideReason: '改动自动得分须填写理由', qaRevision: '修订 {n}', qaTotalScore: '总分 {total}',
  qaExisting: '已有评分', qaEdit: '修订', qaNewScorecard: '新评分', qaRevisions: '修订记录', qaSaved: '已保存：总分 {total}，修订 {n}',
  qaLookUpById: '按编号查询', myScorecards: '我的质检评分', myScorecardsEmpty: '暂无评分', qaReviewer: '质检员', qaUpdated: '更新时间', backToCalls: '返回接听',
  qaPageSize: '每页', qaNoScorecards: '尚无评分', qaSourceReviewer: '质检员评分', qaSourceAuto: '自动', qaSourceOverride: '改动自动得分',
  // floor
  openFloor: '实时监控', floorTitle: '实时监控（现场）', floorBack: '返回工作台', floorUpdated: '更新于', floorActiveCalls: '进行中的通话', floorAgentsOnline: '在线坐席',
  floorWaiting: '等待后台', floorAlerts: '告警', floorByBusiness: '各业务通话数', floorCalls: '通话数', floorAgent: '坐席', floorBusiness: '业务', floorStep: '当前步骤',
  floorInStep: '本步骤已用时', floorOperation: '后台操作', floorWaitedFor: '已等待', floorNoCalls: '当前没有进行中的通话', floorNoWaiting: '没有等待后台的通话',
  floorNoAgents: '没有在线坐席', floorForbidden: '只有主管可以查看实时监控。',
  floorAlertWait: '{flow} · {step}：后台等待已 {value} 秒（阈值 {threshold} 秒）', floorAlertFailure: '{flow} · {step}：后台失败率 {value}%（阈值 {threshold}%）',
} as const;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  appTitle: 'Incoming-call assistant',
  login: 'Log in', username: 'Username', password: 'Password', loginFailed: 'Unknown user or wrong password', loginThrottled: 'Too many failed logins — try again in {seconds} s', logout: 'Log out',
  online: 'Connected', reconnecting: 'Reconnecting…', offline: 'Not connected',
  callerNumber: 'Caller number', pop: 'Pop', popHint: 'Type the caller number and press Enter',
  customer: 'Customer', name: 'Name', brand: 'Brand', tier: 'Tier', region: 'Region', status: 'Line status', arrears: 'Arrears', services: 'Services', none: 'none',
  chooseBusiness: 'Choose the business', searchFlows: 'Search (e.g. 停机, suspend, lost phone)', noFlows: 'No business matches',
  lane: 'Lane', progress: 'Progress', script: 'Script', customerSays: 'Customer', agentSays: 'Agent',
  prompts: 'Tell the customer (tick each)', promptsFirst: 'Tick every care prompt first', offers: 'Offers', chooseOffer: 'Choose the offer the customer accepts',
  holding: 'Waiting', elapsed: 'Waiting for', seconds: 's', rules: 'Rule checks',
  summary: 'Call summary', outcome: 'Outcome', stepsDone: 'What was done', offered: 'Offered', accepted: 'Accepted', reminders: 'Reminders given', nextCall: 'Next call',
  notFound: 'No customer with this number', required: 'Required', digitsOnly: 'Digits only', exactDigits: 'Must be {n} digits',
  roleHomeSupervisor: 'Supervisor desk', roleHomeQa: 'QA desk', takeCalls: 'Take calls', flows: 'Flows', version: 'Version',
  lookUpCall: 'Look up a call', callId: 'Call id', replay: 'Replay check', deterministic: 'Replay matches the log', notDeterministic: 'Replay differs from the log', events: 'Events',
  eligible: 'Eligible', notEligible: 'Not eligible', hangUp: 'Hang up', businesses: 'Businesses in this call', queued: 'queued', startHotline: 'Take the call (enter manual service)',
  // QA review
  qaFindCalls: 'Find calls', qaAgent: 'Agent', qaBusiness: 'Business', qaAny: 'any', qaFrom: 'From', qaTo: 'To', qaNumber: 'Caller number',
  qaFailedCheck: 'Failed check', qaMinDuration: 'Min duration (s)', qaMaxDuration: 'Max duration (s)', qaSearch: 'Search', qaReset: 'Clear',
  qaTotal: '{n} calls', qaPage: 'page {page} of {pages}', qaPrev: 'Previous', qaNext: 'Next', qaExportCsv: 'Export CSV', qaExportJson: 'Export JSON',
  qaStarted: 'Started', qaDuration: 'Duration', qaFailed: 'Failed', qaOpen: 'Open', qaNoCalls: 'No call matches', qaBack: 'Back',
  qaReplayOf: 'Call replay', qaChainIntact: 'Log chain intact', qaChainBroken: 'Log chain broken (seq {seq}: {reason})', qaDivergence: 'First divergence: {field} at seq {seq}',
  qaTotals: 'Total {total} · waiting {wait} · agent {agent} · {steps} steps', qaTimeline: 'Timeline', qaStepOf: 'Step {n} of {total}',
  qaPrevStep: '← Previous step', qaNextStep: 'Next step →', qaTimeSpent: 'Time spent', qaWait: 'Waiting on the back end', qaChosen: 'Chosen', qaInputsGiven: 'Inputs given',
  qaReply: 'Back-end reply', qaReplyOk: 'ok', qaReplyFailed: 'failed', qaLatency: 'latency', qaConfirmed: 'confirmed', qaNotConfirmed: 'not confirmed',
  qaOptions: 'Options', qaNoAction: '(the call ended here)', qaActionTimeout: 'Back end timed out', qaActionHangup: 'Call hung up', qaStayed: '(stayed in the step)',
  qaChecks: 'Automatic checks', qaPassed: 'passed', qaCheckFailed: 'failed', qaNotApplicable: 'not applicable',
  qaScorecard: 'Scorecard', qaScore: 'Score', qaComment: 'Comment', qaOverallComment: 'Overall comment', qaSave: 'Save scorecard', qaSaveRevision: 'Save revision',
  qaAutoScore: 'Automatic checks score {score}', qaOverrideReason: 'Overriding the automatic score needs a reason', qaRevision: 'Revision {n}', qaTotalScore: 'Total {total}',
  qaExisting: 'Scorecards', qaEdit: 'Revise', qaNewScorecard: 'New scorecard', qaRevisions: 'Revisions', qaSaved: 'Saved: total {total}, revision {n}',
  qaLookUpById: 'Look up by id', myScorecards: 'My scorecards', myScorecardsEmpty: 'No scorecards yet', qaReviewer: 'Reviewer', qaUpdated: 'Updated', backToCalls: 'Back to calls',
  qaPageSize: 'Per page', qaNoScorecards: 'No scorecard yet', qaSourceReviewer: 'reviewer', qaSourceAuto: 'automatic', qaSourceOverride: 'override',
  // floor
  openFloor: 'Live floor', floorTitle: 'Live floor', floorBack: 'Back to the desk', floorUpdated: 'Updated', floorActiveCalls: 'Calls in progress', floorAgentsOnline: 'Agents online',
  floorWaiting: 'Waiting on the back end', floorAlerts: 'Alerts', floorByBusiness: 'Calls by business', floorCalls: 'Calls', floorAgent: 'Agent', floorBusiness: 'Business', floorStep: 'Step',
  floorInStep: 'In step for', floorOperation: 'Back-end operation', floorWaitedFor: 'Waiting for', floorNoCalls: 'No calls in progress', floorNoWaiting: 'No call is waiting on the back end',
  floorNoAgents: 'No agent online', floorForbidden: 'Only supervisors can see the live floor.',
  floorAlertWait: '{flow} · {step}: waiting on the back end for {value} s (threshold {threshold} s)', floorAlertFailure: '{flow} · {step}: back-end failure rate {value}% (threshold {threshold}%)',
};

const dictionaries: Record<Locale, Record<Key, string>> = { 'zh-CN': zh, en };

const LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    gotone: '全球通', easyown: '神州行', mzone: '动感地带', standard: '普通', gold: '金卡', diamond: '钻石卡',
    active: '正常', suspended: '停机', 'arrears-suspended': '欠费停机', cancelled: '已销户',
    completed: '办理完成', 'need-identified': '需求已确认', closed: '已结束', resolved: '已解决', transferred: '已转专席', 'work-order-raised': '已提工单', 'not-eligible': '不符合条件', converted: '营销成功（转其他业务）', locked: '验证锁定', 'ticket-raised': '已提交工单', abandoned: '通话中断',
    customer: '客户', frontstage: '前台', backstage: '后台', support: '支持系统',
    W: '等待', F: '失误点', D: '决策', C: '关怀', M: '营销',
  },
  en: {
    gotone: 'GoTone', easyown: 'Easyown', mzone: 'M-Zone', standard: 'Standard', gold: 'Gold', diamond: 'Diamond',
    active: 'Active', suspended: 'Suspended', 'arrears-suspended': 'Suspended (arrears)', cancelled: 'Cancelled',
    completed: 'Completed', 'need-identified': 'Need identified', closed: 'Closed', resolved: 'Resolved', transferred: 'Transferred', 'work-order-raised': 'Work order raised', 'not-eligible': 'Not eligible', converted: 'Converted (offer accepted)', locked: 'Verification locked', 'ticket-raised': 'Ticket raised', abandoned: 'Abandoned',
    customer: 'Customer', frontstage: 'Frontstage', backstage: 'Backstage', support: 'Support',
    W: 'Wait', F: 'Failure point', D: 'Decision', C: 'Care', M: 'Offer',
  },
};

const ERRORS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    BAD_JSON: '界面发送了服务器无法识别的消息，请刷新页面。', UNKNOWN_EVENT: '界面发送了服务器无法识别的消息，请刷新页面。',
    VALIDATION_FAILED: '输入有误，请检查后重试。', NOT_FOUND: '没有找到对应的客户或通话。', FORBIDDEN: '这通电话属于其他坐席，您不能操作。',
    UNAUTHORIZED: '登录已失效，请重新登录。', STALE_SEQ: '这一步已经处理过，已为您显示当前步骤。', OPTION_NOT_AVAILABLE: '当前步骤不能选择这一项。',
    LOG_UNAVAILABLE: '系统暂时无法记录操作（存储故障），这一步没有生效，请稍后再点一次。',
    INTERNAL: '服务器出错，请稍后重试。', NETWORK: '网络连接中断，正在重试。',
  },
  en: {
    BAD_JSON: 'The screen sent a message the server did not understand — please reload.', UNKNOWN_EVENT: 'The screen sent a message the server did not understand — please reload.',
    VALIDATION_FAILED: 'Some input is not valid — please check it and try again.', NOT_FOUND: 'No such customer or call.', FORBIDDEN: 'This call belongs to another agent.',
    UNAUTHORIZED: 'Your session has expired — please log in again.', STALE_SEQ: 'That step was already answered — showing the current step.', OPTION_NOT_AVAILABLE: 'That choice is not available at this step.',
    LOG_UNAVAILABLE: 'The system cannot record actions right now (storage problem): this step did not take effect — please try again shortly.',
    INTERNAL: 'Server error — please try again.', NETWORK: 'The connection dropped — retrying.',
  },
};

let current: Locale = (localStorage.getItem('laihua.locale') as Locale) === 'en' ? 'en' : 'zh-CN';

export const locale = (): Locale => current;
export function setLocale(next: Locale): void {
  current = next;
  localStorage.setItem('laihua.locale', next);
  document.documentElement.lang = next;
}
export const t = (key: Key, params: Record<string, string | number> = {}): string =>
  dictionaries[current][key].replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''));
export const label = (value: string): string => LABELS[current][value] ?? value;
export const errorText = (code: string): string => ERRORS[current][code] ?? ERRORS[current].INTERNAL;
export const pick = (text: LocalizedText | null | undefined): string => (text ? text[current] : '');
