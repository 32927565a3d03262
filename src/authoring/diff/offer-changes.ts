import type { OfferDefinition } from '../../flows/flow-definition';
import { byId, lt, same } from './format';
import { compareText, type FieldChange } from './text-changes';

const offerIds = (offers?: OfferDefinition[]) => (offers ?? []).map((o) => o.id);

/** Inline offers by id, and where the offers come from (inline or the related-marketing matrix). */
export function offerChanges(
  b: { offers?: OfferDefinition[]; offersFrom?: string },
  a: { offers?: OfferDefinition[]; offersFrom?: string },
  prefix = '',
): FieldChange[] {
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
  const out: FieldChange[] = [];
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
