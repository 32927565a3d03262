import type {
  FlowDefinition,
  InputDefinition,
  LocalizedText,
  OfferDefinition,
  OptionDefinition,
  StateNodeJson,
  TransitionJson,
} from '../../flows/flow-definition';
import { asArray, byId, idList, laneName, lt, markName, onStep, same, stepName } from './format';
import { targetsOf } from './graph';
import { compareText, stepTextFindings, type Finding } from './text-changes';
import type { Change, ChangeKind } from './types';

/** What the step comparison needs to know about the rest of the diff. */
export interface StepContext {
  /** Steps added, removed or moved: an option's new target among them is already told by those changes. */
  structural: Set<string>;
  titleOf: (id: string) => LocalizedText | undefined;
}

const finding =
  (kind: ChangeKind, stepId: string, name: LocalizedText) =>
  ({ sentence, ...f }: Finding): Change => ({
    kind,
    stepId,
    ...f,
    text: onStep(name, sentence),
  });

/** Everything that changed inside one step present in both versions (not its place in the flow). */
export function stepChanges(id: string, b: StateNodeJson, a: StateNodeJson, ctx: StepContext): Change[] {
  const name = stepName(id, a.meta.title);
  const wrap = (kind: ChangeKind) => finding(kind, id, name);
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

  out.push(...stepTextFindings(b.meta, a.meta).map(wrap('text-changed')));
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

function optionChanges(id: string, b: StateNodeJson, a: StateNodeJson, ctx: StepContext, wrap: (k: ChangeKind) => (f: Finding) => Change): Change[] {
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
function inputChanges(before?: InputDefinition[], after?: InputDefinition[]): Finding[] {
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

const offerIds = (offers?: OfferDefinition[]) => (offers ?? []).map((o) => o.id);

/** Inline offers by id, and where the offers come from (inline or the related-marketing matrix). */
export function offerChanges(
  b: { offers?: OfferDefinition[]; offersFrom?: string },
  a: { offers?: OfferDefinition[]; offersFrom?: string },
  prefix = '',
): Finding[] {
  const ib = offerIds(b.offers);
  const ia = offerIds(a.offers);
  const list = (ids: string[]) => lt(ids.join(', '), ids.join('、'));
  if (b.offersFrom !== a.offersFrom) {
    const toMatrix = a.offersFrom === 'matrix';
    // A plain switch between inline offers and the matrix is one change.
    if (toMatrix ? !ia.length || same(b.offers, a.offers) : !ib.length || same(b.offers, a.offers)) {
      const inlineB = same(b.offers, a.offers) ? [] : ib;
      const inlineA = same(b.offers, a.offers) ? [] : ia;
      return [
        {
          field: `${prefix}offersFrom`,
          before: b.offersFrom ?? { offers: ib },
          after: a.offersFrom ?? { offers: ia },
          sentence: toMatrix
            ? inlineB.length
              ? lt(
                  `offers now come from the related-marketing matrix (were inline: ${list(inlineB).en})`,
                  `推荐产品改为取自关联营销矩阵（原为本步骤内置：${list(inlineB)['zh-CN']}）`,
                )
              : lt('offers now also come from the related-marketing matrix', '推荐产品改为同时取自关联营销矩阵')
            : inlineA.length
              ? lt(
                  `offers now inline: ${list(inlineA).en} (were from the related-marketing matrix)`,
                  `推荐产品改为本步骤内置：${list(inlineA)['zh-CN']}（原取自关联营销矩阵）`,
                )
              : lt('offers no longer come from the related-marketing matrix', '推荐产品不再取自关联营销矩阵'),
        },
      ];
    }
  }
  const out: Finding[] = [];
  if (b.offersFrom !== a.offersFrom)
    out.push({
      field: `${prefix}offersFrom`,
      before: b.offersFrom,
      after: a.offersFrom,
      sentence:
        a.offersFrom === 'matrix'
          ? lt('offers now also come from the related-marketing matrix', '推荐产品改为同时取自关联营销矩阵')
          : lt('offers no longer come from the related-marketing matrix', '推荐产品不再取自关联营销矩阵'),
    });
  for (const [id, ob, oa] of byId(b.offers, a.offers, (o) => o.id)) {
    const field = `${prefix}offer:${id}`;
    if (!ob || !oa) {
      const o = (oa ?? ob)!;
      out.push({
        field,
        before: ob,
        after: oa,
        sentence: oa
          ? lt(`offer '${id}' (${o.title.en}) added`, `新增推荐「${id}」（${o.title['zh-CN']}）`)
          : lt(`offer '${id}' (${o.title.en}) removed`, `删除推荐「${id}」（${o.title['zh-CN']}）`),
      });
      continue;
    }
    out.push(...compareText(`${field}.title`, lt(`offer '${id}' title`, `推荐「${id}」的名称`), ob.title, oa.title));
    out.push(...compareText(`${field}.pitch`, lt(`offer '${id}' pitch`, `推荐「${id}」的介绍`), ob.pitch, oa.pitch));
    if (ob.targetFlowId !== oa.targetFlowId)
      out.push({
        field: `${field}.targetFlowId`,
        before: ob.targetFlowId,
        after: oa.targetFlowId,
        sentence: lt(
          `offer '${id}' now opens '${oa.targetFlowId}' (was '${ob.targetFlowId}')`,
          `推荐「${id}」改为转入「${oa.targetFlowId}」（原为「${ob.targetFlowId}」）`,
        ),
      });
    if (!same(ob.when, oa.when))
      out.push({
        field: `${field}.when`,
        before: ob.when,
        after: oa.when,
        sentence: lt(`offer '${id}': which customers see it changed`, `推荐「${id}」：适用客户条件已修改`),
      });
  }
  return out;
}

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
