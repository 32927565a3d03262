import { AppError } from '../../common/app-error';
import type { InputDefinition, OfferDefinition, OptionDefinition, StepMeta } from '../../flows/flow-definition';

export interface InputProblem {
  field: string;
  problems: string[];
}

/**
 * Checks a decision's inputs against what the step declares for the chosen option and returns
 * the machine event's `input` (offers resolved to the offer itself). Throws VALIDATION_FAILED.
 */
export function resolveDecisionInput(
  meta: StepMeta,
  option: OptionDefinition,
  input: Record<string, unknown> | undefined,
  offers: OfferDefinition[],
): Record<string, unknown> {
  const given = input ?? {};
  const wanted = new Map((meta.inputs ?? []).filter((i) => option.inputs?.includes(i.name)).map((i) => [i.name, i]));
  const problems: InputProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!wanted.has(name)) problems.push({ field: `input.${name}`, problems: [`option '${option.id}' takes no input '${name}'`] });
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, def] of wanted) {
    const value = given[name];
    if (value === undefined || value === null || value === '') {
      if (def.required) problems.push({ field: `input.${name}`, problems: ['is required'] });
      continue;
    }
    const problem = checkValue(def, value, offers);
    if (problem) problems.push({ field: `input.${name}`, problems: [problem] });
    else resolved[name] = value;
    if (!problem && def.type === 'offer') {
      const offer = offers.find((o) => o.id === value)!;
      resolved.offer = { id: offer.id, title: offer.title, targetFlowId: offer.targetFlowId };
    }
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', `Invalid input for option '${option.id}'`, problems);
  return resolved;
}

function checkValue(def: InputDefinition, value: unknown, offers: OfferDefinition[]): string | null {
  if (typeof value !== 'string') return 'must be a string';
  switch (def.type) {
    case 'enum':
      return def.values!.some((v) => v.id === value) ? null : `must be one of: ${def.values!.map((v) => v.id).join(', ')}`;
    case 'offer': {
      const offered = offers.map((o) => o.id);
      return offered.includes(value) ? null : `must be one of the offers shown: ${offered.join(', ') || '(none)'}`;
    }
    case 'digits':
      if (!/^\d+$/.test(value)) return 'must contain digits only';
      return def.length !== undefined && value.length !== def.length ? `must be exactly ${def.length} digits` : null;
    case 'string':
      return value.length > (def.maxLength ?? 500) ? `must be at most ${def.maxLength ?? 500} characters` : null;
  }
}
