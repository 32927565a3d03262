import { locale } from '../app/i18n.js';

/** The flow editor's own words (zh-CN / en), apart from the agent screen's dictionary. */
const zh = {
  editor: '流程编辑', openEditor: '流程编辑', backHome: '返回工作台', flows: '业务流程', versions: '版本',
  inForce: '生效中', createdBy: '创建人', basedOn: '基于', chooseVersion: '请从左侧选择一个流程版本',
  draft: '草稿', submitted: '待审批', approved: '已审批', published: '已发布', retired: '已停用',
  blueprint: '服务蓝图', stepForm: '步骤', rawJson: 'JSON', diff: '版本对比', audit: '操作记录',
  title: '标题', script: '话术', customerSays: '客户说', prompts: '关怀提醒', addPrompt: '添加提醒', remove: '删除',
  options: '选项', offers: '推荐产品', offerTitle: '产品名称', pitch: '推荐话术', chooseStep: '点击蓝图中的步骤进行编辑',
  readOnly: '只读：只有草稿可以编辑', save: '保存', saved: '已保存', newDraft: '基于此版本新建草稿',
  submit: '提交审批', approve: '批准', reject: '退回', publish: '发布', rollback: '回滚到此版本', comment: '审批意见（退回时必填）',
  findings: '检查结果', noFindings: '检查通过，没有问题', offendingPath: '违规路径', jsonInvalid: 'JSON 格式错误',
  checking: '正在检查…', from: '从', to: '到', compare: '对比', noChanges: '两个版本没有差异',
  changesSummary: '新增 {added} · 删除 {removed} · 移动 {moved} · 修改 {changed}', lanes: '泳道',
  step: '步骤', stepId: '步骤编号', dirty: '有未保存的修改',
} as const;

export type EditorKey = keyof typeof zh;

const en: Record<EditorKey, string> = {
  editor: 'Flow editor', openEditor: 'Flow editor', backHome: 'Back to desk', flows: 'Flows', versions: 'Versions',
  inForce: 'in force', createdBy: 'by', basedOn: 'based on', chooseVersion: 'Choose a flow version on the left',
  draft: 'draft', submitted: 'submitted', approved: 'approved', published: 'published', retired: 'retired',
  blueprint: 'Blueprint', stepForm: 'Step', rawJson: 'JSON', diff: 'Diff', audit: 'Audit trail',
  title: 'Title', script: 'Script', customerSays: 'Customer says', prompts: 'Care prompts', addPrompt: 'Add prompt', remove: 'Remove',
  options: 'Options', offers: 'Offers', offerTitle: 'Offer title', pitch: 'Pitch', chooseStep: 'Click a step in the blueprint to edit it',
  readOnly: 'Read-only: only drafts can be edited', save: 'Save', saved: 'Saved', newDraft: 'New draft from this version',
  submit: 'Submit for approval', approve: 'Approve', reject: 'Send back', publish: 'Publish', rollback: 'Roll back to this version', comment: 'Comment (required to send back)',
  findings: 'Check results', noFindings: 'All checks pass', offendingPath: 'Offending path', jsonInvalid: 'Invalid JSON',
  checking: 'Checking…', from: 'From', to: 'To', compare: 'Compare', noChanges: 'No differences',
  changesSummary: '{added} added · {removed} removed · {moved} moved · {changed} changed', lanes: 'Lanes',
  step: 'Step', stepId: 'Step id', dirty: 'Unsaved changes',
};

export const et = (key: EditorKey, params: Record<string, string | number> = {}): string =>
  (locale() === 'en' ? en : zh)[key].replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''));
