import type { LocalizedText } from '../../../protocol/flow-definition.js';
import type { FlowSummary } from '../../../protocol/flows.js';
import { CHECK_NAMES, FLOW_NAMES, OFFER_NAMES, POLICY_NAMES } from './flow-names.js';
import { errorText, label, locale, pick } from './i18n.js';

/**
 * The translation layer for every id a person sees: flows (businesses), steps, offers, checks,
 * subscribed services, regions, roles, statuses and error codes, named in the current locale. Flows,
 * steps, offers and checks come from their titles in flows/ (flow-names.ts, generated), updated by
 * what /api/flows answers; the rest from the dictionaries below. An id with no name is shown as it
 * is and recorded in `untranslated` (window.__laihua.untranslated), which the language walk
 * (test/browser/language-walk.browser-spec.ts) fails on.
 */
export const untranslated = new Set<string>();

const fallback = (kind: string, id: string): string => {
  untranslated.add(`${kind}:${id}`);
  return id;
};
const text = (t: LocalizedText | undefined, kind: string, id: string): string => (t ? pick(t) : fallback(kind, id));

const flows = new Map<string, { title: LocalizedText; steps: Map<string, LocalizedText> }>(
  Object.entries(FLOW_NAMES).map(([id, f]) => [id, { title: f.title, steps: new Map(Object.entries(f.steps)) }]),
);

/** Takes in the titles the server answers (a published version may rename or add steps). */
export function learnFlows(summaries: FlowSummary[]): void {
  for (const f of summaries) {
    const known = flows.get(f.id) ?? { title: f.title, steps: new Map<string, LocalizedText>() };
    known.title = f.title;
    for (const s of f.mainPath) known.steps.set(s.id, s.title);
    flows.set(f.id, known);
  }
}

/** Takes in the step titles of one definition (the editor, the replay). */
export function learnSteps(flowId: string, states: Record<string, { meta?: { title?: LocalizedText } }>): void {
  const known = flows.get(flowId);
  if (!known) return;
  for (const [id, s] of Object.entries(states)) if (s?.meta?.title?.en && s.meta.title['zh-CN']) known.steps.set(id, s.meta.title);
}

/** The check every call gets besides flows/qa/call-checks.json: its replay matches its log. */
const REPLAYABLE: LocalizedText = { 'zh-CN': '回放与记录一致', en: 'Replay matches the log' };

const AUTHORING_CHECKS: Record<string, LocalizedText> = {
  loader: { 'zh-CN': '定义检查', en: 'Definition' },
  reachability: { 'zh-CN': '可达性检查', en: 'Reachability' },
  policy: { 'zh-CN': '规范检查', en: 'Policy' },
};

const SERVICES: Record<string, LocalizedText> = {
  'intl-long-distance': { 'zh-CN': '国际长途', en: 'International calls' },
  'intl-roaming': { 'zh-CN': '国际漫游', en: 'International roaming' },
  'caller-id': { 'zh-CN': '来电显示', en: 'Caller ID' },
  'ringback-tone': { 'zh-CN': '彩铃', en: 'Ringback tone' },
  'mzone-data-pack': { 'zh-CN': '动感地带流量包', en: 'M-Zone data pack' },
  'music-vip': { 'zh-CN': '音乐会员', en: 'Music VIP' },
  'qq-member': { 'zh-CN': 'QQ会员', en: 'QQ membership' },
};

const REGIONS: Record<string, string> = {
  北京: 'Beijing',
  天津: 'Tianjin',
  上海: 'Shanghai',
  重庆: 'Chongqing',
  河北: 'Hebei',
  山西: 'Shanxi',
  辽宁: 'Liaoning',
  吉林: 'Jilin',
  黑龙江: 'Heilongjiang',
  江苏: 'Jiangsu',
  浙江: 'Zhejiang',
  安徽: 'Anhui',
  福建: 'Fujian',
  江西: 'Jiangxi',
  山东: 'Shandong',
  河南: 'Henan',
  湖北: 'Hubei',
  湖南: 'Hunan',
  广东: 'Guangdong',
  海南: 'Hainan',
  四川: 'Sichuan',
  贵州: 'Guizhou',
  云南: 'Yunnan',
  陕西: 'Shaanxi',
  甘肃: 'Gansu',
  青海: 'Qinghai',
  内蒙古: 'Inner Mongolia',
  广西: 'Guangxi',
  西藏: 'Tibet',
  宁夏: 'Ningxia',
  新疆: 'Xinjiang',
  香港: 'Hong Kong',
  澳门: 'Macau',
  台湾: 'Taiwan',
};

const ROLES: Record<string, LocalizedText> = {
  agent: { 'zh-CN': '坐席', en: 'Agent' },
  supervisor: { 'zh-CN': '主管', en: 'Supervisor' },
  qa: { 'zh-CN': '质检', en: 'QA' },
  admin: { 'zh-CN': '管理员', en: 'Administrator' },
};

/** A call's status (not the line's: an active call is "in progress", not "正常"). */
const CALL_STATUSES: Record<string, LocalizedText> = {
  active: { 'zh-CN': '通话中', en: 'In progress' },
  completed: { 'zh-CN': '已结束', en: 'Ended' },
  abandoned: { 'zh-CN': '通话中断', en: 'Abandoned' },
};

/** The back-end operations a call waits on (src/flows/registry/operations.ts). */
const OPERATIONS: Record<string, LocalizedText> = {
  checkIvrPassword: { 'zh-CN': '核验服务密码', en: 'Checking the service password' },
  checkIdDocument: { 'zh-CN': '核验身份证件', en: 'Checking the ID document' },
  checkEntryMonth: { 'zh-CN': '核验入网时间', en: 'Checking the network entry month' },
  executeSuspension: { 'zh-CN': '办理停机', en: 'Suspending the line' },
  queryAccount: { 'zh-CN': '查询账户', en: 'Querying the account' },
  provision: { 'zh-CN': '办理业务', en: 'Provisioning' },
  sendConfirmationSms: { 'zh-CN': '发送确认短信', en: 'Sending the confirmation SMS' },
};

/** Why an F step was entered (the metrics' failure causes: a back-end error code, TIMEOUT, CHECK_FAILED:<operation>). */
const CAUSES: Record<string, LocalizedText> = {
  TIMEOUT: { 'zh-CN': '系统超时', en: 'Back end timed out' },
  ERROR: { 'zh-CN': '系统出错', en: 'Back-end error' },
  BOSS_UNAVAILABLE: { 'zh-CN': '计费系统不可用', en: 'Billing system unavailable' },
  UNKNOWN_SUBSCRIBER: { 'zh-CN': '查无此用户', en: 'Unknown subscriber' },
};
const CHECK_FAILED: LocalizedText = { 'zh-CN': '核验未通过', en: 'Check failed' };

/** What a server-side validation problem says, in the current locale (the server's words are English). */
const PROBLEMS: Record<string, LocalizedText> = {
  'is required': { 'zh-CN': '必填', en: 'required' },
  'overriding the automatic score needs a reason': { 'zh-CN': '修改自动评分需要填写理由', en: 'changing the automatic score needs a reason' },
};
const BETWEEN = /^must be between (-?[\d.]+) and (-?[\d.]+)$/;
const INVALID: LocalizedText = { 'zh-CN': '填写有误', en: 'not valid' };

export const names = {
  /** A flow (business) by id. */
  flow: (id: string): string => text(flows.get(id)?.title, 'flow', id),
  /** A flow and version, as `停机 v1` (never `suspend-service@1`). */
  flowVersion: (id: string, version: number | string): string => `${names.flow(id)} v${version}`,
  /** A step of a flow; without the flow (or when the flow does not name it), the first flow that does. */
  step: (flowId: string | null | undefined, stepId: string): string => {
    const own = flowId ? flows.get(flowId)?.steps.get(stepId) : undefined;
    const any = own ?? [...flows.values()].map((f) => f.steps.get(stepId)).find(Boolean);
    return text(any, 'step', stepId);
  },
  offer: (id: string): string => text(OFFER_NAMES[id], 'offer', id),
  check: (id: string): string => text(CHECK_NAMES[id] ?? (id === 'replayable' ? REPLAYABLE : undefined), 'check', id),
  /** An authoring finding's source: a policy by its title, else the check (loader, reachability). */
  finding: (check: string, policy?: string): string =>
    policy ? text(POLICY_NAMES[policy], 'policy', policy) : text(AUTHORING_CHECKS[check], 'authoring check', check),
  /** A subscribed service (value-added service) of the customer record. */
  service: (id: string): string => text(SERVICES[id], 'service', id),
  /** A region as the back end names it (in Chinese): in English by its pinyin name. */
  region: (region: string): string => (locale() === 'zh-CN' ? region : (REGIONS[region] ?? fallback('region', region))),
  role: (role: string): string => text(ROLES[role], 'role', role),
  /** A status, outcome, brand, tier, lane or mark the server sends (app-words LABELS). */
  status: (value: string): string => {
    const named = label(value);
    return named === value ? fallback('status', value) : named;
  },
  callStatus: (status: string): string => text(CALL_STATUSES[status], 'call status', status),
  operation: (op: string): string => text(OPERATIONS[op], 'operation', op),
  cause: (cause: string): string =>
    cause.startsWith('CHECK_FAILED:')
      ? `${pick(CHECK_FAILED)}（${names.operation(cause.slice('CHECK_FAILED:'.length))}）`
      : text(CAUSES[cause], 'cause', cause),
  /** A business as the QA search answers it, `flowId@version`: `停机 v1`. */
  business: (ref: string): string => {
    const at = ref.lastIndexOf('@');
    return at > 0 ? names.flowVersion(ref.slice(0, at), ref.slice(at + 1)) : names.flow(ref);
  },
  /** One problem of a VALIDATION_FAILED field, in the current locale. */
  problem: (problem: string): string => {
    const range = BETWEEN.exec(problem);
    if (range) return locale() === 'zh-CN' ? `须在 ${range[1]} 到 ${range[2]} 之间` : `must be between ${range[1]} and ${range[2]}`;
    return pick(PROBLEMS[problem] ?? INVALID);
  },
  /** An error from its typed code (never the server's English message). */
  error: (code: string | undefined): string => errorText(code ?? 'INTERNAL'),
};
