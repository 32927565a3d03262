import type { InputDefinition, LocalizedText, OptionDefinition, StateNodeJson } from '../../flows/flow-definition';
import { byId, idList, lt, same } from './format';
import { targetsOf } from './graph';
import { compareText, type FieldChange } from './text-changes';
import type { Change, ChangeKind } from './types';

/** What the step comparison needs to know about the rest of the diff. */
export interface StepContext {
  /** Steps added, removed or moved: an option's new target among them is already told by those changes. */
  structural: Set<string>;
  titleOf: (id: string) => LocalizedText | undefined;
}

/** Options added, removed, or changed (label, event, target, inputs, shown only with offers). */
export function optionChanges(id: string, b: StateNodeJson, a: StateNodeJson, ctx: StepContext, wrap: (k: ChangeKind) => (f: FieldChange) => Change): Change[] {
  const out: Change[] = [];
  const target = (n: StateNodeJson, o: OptionDefinition) => targetsOf(n.on?.[o.event]);
  for (const [oid, ob, oa] of byId<OptionDefinition>(b.meta.options, a.meta.options, (o) => o.id)) {
    const field = `option:${oid}`;
    if (!ob || !oa) {
      const o = (oa ?? ob)!;
      const label = o.label;
      out.push(
        wrap(oa ? 'option-added' : 'option-removed')({
          field,
          before: ob,
          after: oa,
          sentence: oa
            ? lt(`option '${oid}' ("${label.en}") added`, `新增选项「${oid}」（“${label['zh-CN']}”）`)
            : lt(`option '${oid}' ("${label.en}") removed`, `删除选项「${oid}」（“${label['zh-CN']}”）`),
        }),
      );
      continue;
    }
    const what = lt(`option '${oid}' label`, `选项「${oid}」的文字`);
    out.push(...compareText(`${field}.label`, what, ob.label, oa.label).map(wrap('option-changed')));
    if (ob.event !== oa.event)
      out.push(
        wrap('option-changed')({
          field: `${field}.event`,
          before: ob.event,
          after: oa.event,
          sentence: lt(`option '${oid}' now sends ${oa.event} (was ${ob.event})`, `选项「${oid}」改为发送 ${oa.event}（原为 ${ob.event}）`),
        }),
      );
    const tb = target(b, ob);
    const ta = target(a, oa);
    const told = ctx.structural.has(id) || [...tb, ...ta].some((t) => ctx.structural.has(t));
    if (!same(tb, ta) && !told) {
      const lb = idList(tb, ctx.titleOf);
      const la = idList(ta, ctx.titleOf);
      out.push(
        wrap('option-changed')({
          field: `${field}.target`,
          before: tb,
          after: ta,
          sentence: lt(`option '${oid}' now leads to ${la.en} (was ${lb.en})`, `选项「${oid}」改为转到${la['zh-CN']}（原为${lb['zh-CN']}）`),
        }),
      );
    }
    if (!same(ob.inputs ?? [], oa.inputs ?? []))
      out.push(
        wrap('option-changed')({
          field: `${field}.inputs`,
          before: ob.inputs ?? [],
          after: oa.inputs ?? [],
          sentence: lt(
            `option '${oid}' now takes ${(oa.inputs ?? []).join(', ') || 'no input'} (was ${(ob.inputs ?? []).join(', ') || 'no input'})`,
            `选项「${oid}」的输入改为${(oa.inputs ?? []).join('、') || '无'}（原为${(ob.inputs ?? []).join('、') || '无'}）`,
          ),
        }),
      );
    if (!!ob.requiresOffers !== !!oa.requiresOffers)
      out.push(
        wrap('option-changed')({
          field: `${field}.requiresOffers`,
          before: !!ob.requiresOffers,
          after: !!oa.requiresOffers,
          sentence: oa.requiresOffers
            ? lt(`option '${oid}' now shown only when there are offers`, `选项「${oid}」改为仅在有推荐产品时显示`)
            : lt(`option '${oid}' now shown even without offers`, `选项「${oid}」改为无推荐产品时也显示`),
        }),
      );
  }
  return out;
}

/** The step's declared inputs (what options take): added, removed, or changed (type, values, label…). */
export function inputChanges(before?: InputDefinition[], after?: InputDefinition[]): FieldChange[] {
  return byId(before, after, (i) => i.name)
    .filter(([, b, a]) => !same(b, a))
    .map(([name, b, a]) => ({
      field: `input:${name}`,
      before: b,
      after: a,
      sentence: !b
        ? lt(`input '${name}' added`, `新增输入项「${name}」`)
        : !a
          ? lt(`input '${name}' removed`, `删除输入项「${name}」`)
          : lt(`input '${name}' changed`, `输入项「${name}」已修改`),
    }));
}
