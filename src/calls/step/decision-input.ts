import type { NotKeptMarker } from '../../../protocol/calls';
import { AppError } from '../../common/app-error';
import type { InputDefinition, OfferDefinition, OptionDefinition, StepMeta } from '../../flows/flow-definition';

/**
 * What the log keeps of a `digits` input (ID digits, codes): they are verification secrets, checked
 * by the back end while the call is live and never written down. Replay and recovery read this
 * marker instead; a back-end step that would send it answers INPUT_NOT_KEPT (call-effects.ts).
 */
export const NOT_KEPT: NotKeptMarker = '[not kept]';

/** An agent's decision may not carry the marker as an input: it passes the digits check only when a logged decision is replayed. */
export function refuseNotKept(input: Record<string, unknown> | undefined): void {
  if (input && Object.values(input).includes(NOT_KEPT)) {
    throw new AppError('VALIDATION_FAILED', `'${NOT_KEPT}' is what the log keeps of digits, not an input`, [
      { field: 'input', problems: [`must not be '${NOT_KEPT}'`] },
    ]);
  }
}

/** The decision's payload as logged: every `digits` input of the step replaced by NOT_KEPT. */
export function payloadToLog(meta: StepMeta, payload: Record<string, unknown>): Record<string, unknown> {
  const input = payload.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object') return payload;
  let kept: Record<string, unknown> | null = null;
  for (const def of meta.inputs ?? []) {
    if (def.type !== 'digits' || input[def.name] === undefined || input[def.name] === NOT_KEPT) continue;
    kept ??= { ...input };
    kept[def.name] = NOT_KEPT;
  }
  return kept ? { ...payload, input: kept } : payload;
}

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
      if (value === NOT_KEPT) return null; // a logged decision replayed: the digits were checked live
      if (!/^\d+$/.test(value)) return 'must contain digits only';
      return def.length !== undefined && value.length !== def.length ? `must be exactly ${def.length} digits` : null;
    case 'string':
      return value.length > (def.maxLength ?? 500) ? `must be at most ${def.maxLength ?? 500} characters` : null;
  }
}
