import type { FlowDefinition, LocalizedText } from '../../flows/flow-definition';
import { byId, lt, same, stepName } from './format';
import type { Change } from './types';

/** Flow-level: rule definitions, start step, initial context, machine id, kind. */
export function flowChanges(before: FlowDefinition, after: FlowDefinition, titleOf: (id: string) => LocalizedText | undefined): Change[] {
  const out: Change[] = [];
  for (const [rid, rb, ra] of byId(Object.entries(before.rules ?? {}), Object.entries(after.rules ?? {}), ([k]) => k)) {
    if (same(rb, ra)) continue;
    const title = (ra ?? rb)![1].title;
    const sentence = !rb ? lt('added', '新增') : !ra ? lt('removed', '删除') : lt('changed', '已修改');
    out.push({
      kind: 'rules-changed',
      field: `rule:${rid}`,
      before: rb?.[1],
      after: ra?.[1],
      text: lt(`Rule '${rid}' (${title.en}) ${sentence.en}`, `规则「${rid}」（${title['zh-CN']}）${sentence['zh-CN']}`),
    });
  }
  const mb = before.machine;
  const ma = after.machine;
  if (mb.initial !== ma.initial) {
    const nb = stepName(mb.initial, titleOf(mb.initial));
    const na = stepName(ma.initial, titleOf(ma.initial));
    out.push({
      kind: 'behaviour-changed',
      field: 'initial',
      before: mb.initial,
      after: ma.initial,
      text: lt(`The flow now starts at ${na.en} (was ${nb.en})`, `业务改为从${na['zh-CN']}开始（原为${nb['zh-CN']}）`),
    });
  }
  if (!same(mb.context ?? {}, ma.context ?? {}))
    out.push({
      kind: 'behaviour-changed',
      field: 'context',
      before: mb.context,
      after: ma.context,
      text: lt('The data the call starts with changed', '通话初始数据已修改'),
    });
  if (mb.id !== ma.id)
    out.push({
      kind: 'behaviour-changed',
      field: 'machine.id',
      before: mb.id,
      after: ma.id,
      text: lt(`Machine id now '${ma.id}' (was '${mb.id}')`, `状态机标识改为「${ma.id}」（原为「${mb.id}」）`),
    });
  if (before.kind !== after.kind)
    out.push({
      kind: 'behaviour-changed',
      field: 'kind',
      before: before.kind,
      after: after.kind,
      text: lt(
        `Flow kind now '${after.kind ?? 'business'}' (was '${before.kind ?? 'business'}')`,
        `业务类型改为「${after.kind ?? 'business'}」（原为「${before.kind ?? 'business'}」）`,
      ),
    });
  return out;
}
