import type { LocalizedText, StateNodeJson, TransitionJson } from '../../flows/flow-definition';
import { asArray, laneName, lt, markName, onStep, same, stepName } from './format';
import { offerChanges } from './offer-changes';
import { inputChanges, optionChanges, type StepContext } from './option-changes';
import { stepTextChanges, type FieldChange } from './text-changes';
import type { Change, ChangeKind } from './types';

const onStepChange =
  (kind: ChangeKind, stepId: string, name: LocalizedText) =>
  ({ sentence, ...f }: FieldChange): Change => ({
    kind,
    stepId,
    ...f,
    text: onStep(name, sentence),
  });

/** Everything that changed inside one step present in both versions (not its place in the flow). */
export function stepChanges(id: string, b: StateNodeJson, a: StateNodeJson, ctx: StepContext): Change[] {
  const name = stepName(id, a.meta.title);
  const wrap = (kind: ChangeKind) => onStepChange(kind, id, name);
  const out: Change[] = [];

  if (b.meta.lane !== a.meta.lane)
    out.push(
      wrap('lane-changed')({
        field: 'lane',
        before: b.meta.lane,
        after: a.meta.lane,
        sentence: lt(
          `lane now ${laneName(a.meta.lane).en} (was ${laneName(b.meta.lane).en})`,
          `泳道改为${laneName(a.meta.lane)['zh-CN']}（原为${laneName(b.meta.lane)['zh-CN']}）`,
        ),
      }),
    );

  const added = a.meta.marks.filter((m) => !b.meta.marks.includes(m));
  const removed = b.meta.marks.filter((m) => !a.meta.marks.includes(m));
  if (added.length || removed.length) {
    const part = (ms: string[], en: string, zh: string) =>
      ms.length
        ? lt(`${ms.map((m) => markName(m).en).join(', ')} mark${ms.length > 1 ? 's' : ''} ${en}`, `${zh}${ms.map((m) => markName(m)['zh-CN']).join('、')}标记`)
        : undefined;
    const parts = [part(added, 'added', '新增'), part(removed, 'removed', '去掉')].filter((p): p is LocalizedText => !!p);
    out.push(
      wrap('marks-changed')({
        field: 'marks',
        before: b.meta.marks,
        after: a.meta.marks,
        sentence: lt(parts.map((p) => p.en).join('; '), parts.map((p) => p['zh-CN']).join('；')),
      }),
    );
  }

  out.push(...stepTextChanges(b.meta, a.meta).map(wrap('text-changed')));
  out.push(...inputChanges(b.meta.inputs, a.meta.inputs).map(wrap('option-changed')));
  out.push(...optionChanges(id, b, a, ctx, wrap));
  out.push(...offerChanges(b.meta, a.meta).map(wrap('offers-changed')));

  if (!same(b.meta.rules ?? [], a.meta.rules ?? []))
    out.push(
      wrap('rules-changed')({
        field: 'rules',
        before: b.meta.rules ?? [],
        after: a.meta.rules ?? [],
        sentence: lt(
          `rules checked now ${ruleList(a.meta.rules).en} (were ${ruleList(b.meta.rules).en})`,
          `校验规则改为${ruleList(a.meta.rules)['zh-CN']}（原为${ruleList(b.meta.rules)['zh-CN']}）`,
        ),
      }),
    );

  const endB = b.type === 'final' ? (b.meta.outcome ?? '') : undefined;
  const endA = a.type === 'final' ? (a.meta.outcome ?? '') : undefined;
  if (endB !== endA) {
    const show = (o: string | undefined) => (o === undefined ? lt('not an ending', '非结束步骤') : lt(`ending '${o}'`, `结束「${o}」`));
    out.push(
      wrap('outcome-changed')({
        field: 'outcome',
        before: endB,
        after: endA,
        sentence: lt(`now ${show(endA).en} (was ${show(endB).en})`, `现为${show(endA)['zh-CN']}（原为${show(endB)['zh-CN']}）`),
      }),
    );
  }
  if (!same(b.meta.report ?? [], a.meta.report ?? []))
    out.push(
      wrap('outcome-changed')({
        field: 'report',
        before: b.meta.report ?? [],
        after: a.meta.report ?? [],
        sentence: lt(
          `outcome details now ${(a.meta.report ?? []).join(', ') || 'none'} (were ${(b.meta.report ?? []).join(', ') || 'none'})`,
          `结果明细改为${(a.meta.report ?? []).join('、') || '无'}（原为${(b.meta.report ?? []).join('、') || '无'}）`,
        ),
      }),
    );

  const ops = (n: StateNodeJson) => asArray(n.invoke).map((i) => ({ src: i.src, input: i.input }));
  const ob = ops(b);
  const oa = ops(a);
  if (!same(ob, oa)) {
    const srcs = (o: { src: string }[]) => (o.length ? o.map((x) => `'${x.src}'`).join(', ') : undefined);
    const sameSrc = same(
      ob.map((o) => o.src),
      oa.map((o) => o.src),
    );
    out.push(
      wrap('operation-changed')({
        field: 'invoke',
        before: ob,
        after: oa,
        sentence: sameSrc
          ? lt(`input of back-end operation ${srcs(oa)} changed`, `后台操作${srcs(oa)}的输入已修改`)
          : lt(`back-end operation now ${srcs(oa) ?? 'none'} (was ${srcs(ob) ?? 'none'})`, `后台操作改为${srcs(oa) ?? '无'}（原为${srcs(ob) ?? '无'}）`),
      }),
    );
  }

  // Events added or removed come with their options (every event has one), so only shared events count here.
  const shared = Object.keys(a.on ?? {}).filter((e) => e in (b.on ?? {}));
  const wiring = (n: StateNodeJson) => ({
    on: Object.fromEntries(shared.map((e) => [e, untargeted(n.on![e])])),
    invoke: asArray(n.invoke).map((i) => ({ id: i.id, onDone: untargeted(i.onDone), onError: untargeted(i.onError) })),
    after: Object.fromEntries(Object.entries(n.after ?? {}).map(([d, t]) => [d, untargeted(t)])),
    always: untargeted(n.always),
    entry: n.entry,
    exit: n.exit,
  });
  const wb = wiring(b);
  const wa = wiring(a);
  const parts = (Object.keys(wb) as (keyof typeof wb)[]).filter((k) => !same(wb[k], wa[k]));
  if (parts.length)
    out.push(
      wrap('behaviour-changed')({
        field: parts.join(','),
        before: Object.fromEntries(parts.map((k) => [k, wb[k]])),
        after: Object.fromEntries(parts.map((k) => [k, wa[k]])),
        sentence: lt(`conditions or actions changed (${parts.join(', ')})`, `条件或动作已修改（${parts.join('、')}）`),
      }),
    );
  return out;
}

const ruleList = (rules?: string[]) => (rules?.length ? lt(rules.map((r) => `'${r}'`).join(', '), rules.map((r) => `「${r}」`).join('、')) : lt('none', '无'));

/** A transition without its targets (those are the step's place in the flow and the options' targets). */
function untargeted(t: TransitionJson | undefined): unknown {
  return asArray(t as Exclude<TransitionJson, string> | string | undefined).map((x) => {
    if (typeof x === 'string') return {};
    const { target: _target, ...rest } = x;
    return rest;
  });
}
