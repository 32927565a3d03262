import { LANES, MARKS } from './flow-definition';
import { OPERATION_EFFECTS } from './registry/operation-effects';

/**
 * JSON Schema pieces shared by the files beside the flows: flow files (flow.schema.ts), the
 * authoring policies (authoring/checks/policies.ts), the QA call checks (qa/call-checks.ts) and the
 * scorecard form (qa/scorecard-form.ts).
 */
export const ID_SCHEMA = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' };

export const LOCALIZED_SCHEMA = {
  type: 'object',
  required: ['zh-CN', 'en'],
  additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};

/** A non-empty list of distinct items. */
export const listOf = (items: object) => ({ type: 'array', minItems: 1, uniqueItems: true, items });

/**
 * Which steps (step-selector.ts: AND of fields, OR within a field), with `extra` fields of its own.
 * An empty selector would silently match every step: a selector must say which steps it means.
 */
export const stepSelectorSchema = (extra: object = {}) => ({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ids: listOf(ID_SCHEMA),
    marks: listOf({ enum: MARKS }),
    lanes: listOf({ enum: LANES }),
    effects: listOf({ enum: OPERATION_EFFECTS }),
    final: { type: 'boolean' },
    ...extra,
  },
});
