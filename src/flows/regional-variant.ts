import type { FlowDefinition } from './flow-definition';
import { type CompiledFlow, compileFlow } from './flow-loader';
import type { FlowRegistry } from './registry/registry';

/** The regions a flow has a variant for. */
export const variantRegions = (flow: FlowDefinition): string[] => Object.keys(flow.variants ?? {});

/**
 * The definition a customer of `region` sees: the base with the region's step overrides applied
 * (script, customer words, care prompts; offers replace the step's own or the matrix's). The
 * `variants` field itself is dropped from the result, so what a call runs on is one plain flow.
 */
export function applyVariant(flow: FlowDefinition, region: string): FlowDefinition {
  const variant = flow.variants?.[region];
  const { variants: _all, ...base } = flow;
  if (!variant) return base;
  const states = { ...base.machine.states };
  for (const [stepId, overrides] of Object.entries(variant.steps)) {
    const node = states[stepId];
    if (!node) continue;
    const meta = { ...node.meta };
    if (overrides.script) meta.script = overrides.script;
    if (overrides.customerSays) meta.customerSays = overrides.customerSays;
    if (overrides.prompts) meta.prompts = overrides.prompts;
    if (overrides.offers) {
      meta.offers = overrides.offers;
      delete meta.offersFrom;
    }
    states[stepId] = { ...node, meta };
  }
  return { ...base, machine: { ...base.machine, states } };
}

const compiledVariants = new WeakMap<CompiledFlow, Map<string, CompiledFlow>>();

/** The compiled flow a customer of `region` runs on (the base when the flow has no variant for it). Cached per version. */
export function flowForRegion(base: CompiledFlow, region: string | null | undefined, registry: FlowRegistry): CompiledFlow {
  if (!region || !base.definition.variants?.[region]) return base;
  let byRegion = compiledVariants.get(base);
  if (!byRegion) compiledVariants.set(base, (byRegion = new Map()));
  let flow = byRegion.get(region);
  if (!flow) {
    flow = { ...compileFlow(applyVariant(base.definition, region), registry, `${base.source} (variant ${region})`), hash: base.hash, variant: region };
    byRegion.set(region, flow);
  }
  return flow;
}
