import type { LocalizedText, OfferDefinition, PromptDefinition } from '../../flows/flow-definition';
import { lt, same, stepName } from './format';
import { offerChanges } from './offer-changes';
import { compareText, comparePrompts, type FieldChange } from './text-changes';
import type { Change } from './types';

/** One step's regional override, as far as it could be read. */
export interface VariantStep {
  script?: LocalizedText;
  customerSays?: LocalizedText;
  prompts?: PromptDefinition[];
  offers?: OfferDefinition[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (x: unknown): LocalizedText | undefined => (isObject(x) ? (x as LocalizedText) : undefined);
const list = <T>(x: unknown): T[] | undefined => (Array.isArray(x) ? (x.filter((i) => isObject(i) && typeof i.id === 'string') as T[]) : undefined);

/**
 * `variants: { <region>: { steps: { <stepId>: { script?, customerSays?, prompts?, offers? } } } }`, read
 * defensively (the field may be absent or not yet in the flow type): anything not shaped so is ignored.
 */
export function readVariants(flow: unknown): Map<string, Map<string, VariantStep>> {
  const out = new Map<string, Map<string, VariantStep>>();
  const variants = isObject(flow) ? flow.variants : undefined;
  if (!isObject(variants)) return out;
  for (const [region, v] of Object.entries(variants)) {
    const steps = new Map<string, VariantStep>();
    if (isObject(v) && isObject(v.steps))
      for (const [stepId, s] of Object.entries(v.steps)) {
        if (!isObject(s)) continue;
        const step: VariantStep = {};
        if (text(s.script)) step.script = text(s.script);
        if (text(s.customerSays)) step.customerSays = text(s.customerSays);
        if (list(s.prompts)) step.prompts = list<PromptDefinition>(s.prompts);
        if (list(s.offers)) step.offers = list<OfferDefinition>(s.offers);
        steps.set(stepId, step);
      }
    out.set(region, steps);
  }
  return out;
}

function variantFieldChanges(b: VariantStep, a: VariantStep): FieldChange[] {
  return [
    ...compareText('script', lt('script', '话术'), b.script, a.script),
    ...compareText('customerSays', lt('customer line', '客户说法'), b.customerSays, a.customerSays),
    ...comparePrompts(b.prompts, a.prompts),
    ...offerChanges({ offers: b.offers }, { offers: a.offers }),
  ];
}

const parts = (v: VariantStep) => (Object.keys(v) as (keyof VariantStep)[]).filter((k) => v[k] !== undefined);

/** Regional variants per region and step: added, removed, or changed field by field. */
export function variantChanges(before: unknown, after: unknown, titleOf: (id: string) => LocalizedText | undefined): Change[] {
  const vb = readVariants(before);
  const va = readVariants(after);
  const out: Change[] = [];
  const regions = [...va.keys(), ...[...vb.keys()].filter((r) => !va.has(r))];
  for (const region of regions) {
    const sb = vb.get(region) ?? new Map<string, VariantStep>();
    const sa = va.get(region) ?? new Map<string, VariantStep>();
    const steps = [...sa.keys(), ...[...sb.keys()].filter((s) => !sa.has(s))];
    for (const stepId of steps) {
      const b = sb.get(stepId);
      const a = sa.get(stepId);
      const name = stepName(stepId, titleOf(stepId));
      const head = lt(`Regional variant '${region}' of step ${name.en}`, `地区版本「${region}」的步骤${name['zh-CN']}`);
      if (!b || !a) {
        const what = parts((a ?? b)!).join(', ');
        out.push({
          kind: a ? 'variant-added' : 'variant-removed',
          stepId,
          region,
          before: b,
          after: a,
          text: a
            ? lt(`${head.en} added (${what || 'empty'})`, `新增${head['zh-CN']}（${what || '空'}）`)
            : lt(`${head.en} removed (${what || 'empty'})`, `删除${head['zh-CN']}（${what || '空'}）`),
        });
        continue;
      }
      if (same(b, a)) continue;
      for (const { sentence, ...f } of variantFieldChanges(b, a))
        out.push({
          kind: 'variant-changed',
          stepId,
          region,
          ...f,
          text: lt(`${head.en}: ${sentence.en}`, `${head['zh-CN']}：${sentence['zh-CN']}`),
        });
    }
  }
  return out;
}
