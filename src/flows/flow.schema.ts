import { LANES, MARKS } from './flow-definition';
import { contextKey, factPath, NAME_PATTERN } from './registry/params';
import { ID_SCHEMA, LOCALIZED_SCHEMA } from './schema-parts';

/** JSON Schema for a flow file. Closed objects everywhere, so a typo such as `onn` is an error, not silence. */
const localized = LOCALIZED_SCHEMA;
const id = ID_SCHEMA;
/** A guard, action or back-end step is named, never written inline: a plain identifier the registry must know. */
const registryName = { type: 'string', minLength: 1, maxLength: 64, pattern: NAME_PATTERN };
const namedRef = {
  oneOf: [
    registryName,
    {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: { type: registryName, params: { type: 'object' } },
    },
  ],
};
const actions = { oneOf: [namedRef, { type: 'array', items: namedRef }] };
const transitionObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { type: 'string', minLength: 1 },
    guard: namedRef,
    actions,
    reenter: { type: 'boolean' },
    description: { type: 'string' },
  },
};
const transition = {
  oneOf: [{ type: 'string', minLength: 1 }, transitionObject, { type: 'array', minItems: 1, items: transitionObject }],
};
const condition = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fact: factPath,
    eq: {}, ne: {}, in: { type: 'array' }, contains: {},
    gt: { type: 'number' }, gte: { type: 'number' }, lt: { type: 'number' }, lte: { type: 'number' },
    all: { type: 'array', items: { $ref: '#/$defs/condition' } },
    any: { type: 'array', items: { $ref: '#/$defs/condition' } },
    none: { type: 'array', items: { $ref: '#/$defs/condition' } },
  },
  // A condition tests a fact with an operator, or groups conditions — never neither.
  anyOf: [{ required: ['fact'] }, { required: ['all'] }, { required: ['any'] }, { required: ['none'] }],
  dependencies: {
    fact: { anyOf: ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte'].map((op) => ({ required: [op] })) },
  },
};
const invoke = {
  type: 'object',
  required: ['id', 'src'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' },
    src: registryName,
    input: { type: 'object' },
    onDone: transition,
    onError: transition,
  },
};
const prompts = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'text'],
    additionalProperties: false,
    properties: { id, text: localized, when: { $ref: '#/$defs/condition' } },
  },
};
const offers = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'targetFlowId', 'title', 'pitch'],
    additionalProperties: false,
    properties: { id, targetFlowId: id, title: localized, pitch: localized, when: { $ref: '#/$defs/condition' } },
  },
};
/** A region's overrides of one step: its words, care prompts and offers (offers replace the matrix's there). */
const variantStep = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { script: localized, customerSays: localized, prompts, offers },
};
const variants = {
  type: 'object',
  propertyNames: { type: 'string', minLength: 1, maxLength: 40 },
  additionalProperties: {
    type: 'object',
    required: ['steps'],
    additionalProperties: false,
    properties: { steps: { type: 'object', minProperties: 1, propertyNames: id, additionalProperties: variantStep } },
  },
};
const meta = {
  type: 'object',
  required: ['lane', 'marks', 'title', 'script'],
  additionalProperties: false,
  properties: {
    lane: { enum: [...LANES] },
    marks: { type: 'array', uniqueItems: true, items: { enum: [...MARKS] } },
    title: localized,
    script: localized,
    customerSays: localized,
    holding: localized,
    prompts,
    inputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type', 'label'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
          type: { enum: ['enum', 'string', 'digits', 'offer'] },
          required: { type: 'boolean' },
          label: localized,
          values: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['id', 'label'], additionalProperties: false, properties: { id, label: localized } },
          },
          length: { type: 'integer', minimum: 1 },
          maxLength: { type: 'integer', minimum: 1 },
        },
      },
    },
    options: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'event', 'label'],
        additionalProperties: false,
        properties: {
          id,
          event: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
          label: localized,
          inputs: { type: 'array', items: { type: 'string' } },
          requiresOffers: { type: 'boolean' },
        },
      },
    },
    offers,
    rules: { type: 'array', items: { type: 'string' } },
    /** Offers come from the related-marketing matrix for this business and step. */
    offersFrom: { enum: ['matrix'] },
    outcome: id,
    report: { type: 'array', items: contextKey },
  },
};
const stateNode = {
  type: 'object',
  required: ['meta'],
  additionalProperties: false,
  properties: {
    type: { enum: ['atomic', 'final'] },
    meta,
    on: { type: 'object', additionalProperties: transition },
    always: transition,
    after: { type: 'object', additionalProperties: transition },
    invoke: { oneOf: [invoke, { type: 'array', items: invoke }] },
    entry: actions,
    exit: actions,
    tags: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
  },
};
const ruleCheck = {
  type: 'object',
  required: ['id', 'fact', 'label', 'failReason'],
  additionalProperties: false,
  properties: { ...condition.properties, id, label: localized, failReason: localized },
};

export const conditionSchema = { $id: 'laihua/condition', $defs: { condition }, $ref: '#/$defs/condition' } as const;

export const flowSchema = {
  $id: 'laihua/flow',
  type: 'object',
  required: ['id', 'version', 'title', 'machine'],
  additionalProperties: false,
  $defs: { condition },
  properties: {
    $schema: { type: 'string' },
    id,
    version: { type: 'integer', minimum: 1 },
    title: localized,
    keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
    /** business (default), or one of the shared sub-blueprints every hotline call passes through. */
    kind: { enum: ['business', 'enter', 'hang-up'] },
    /** Service scenarios agents search by ("bill too high"), in both languages. */
    scenarios: { type: 'array', items: localized },
    /** Regional variants: per region (e.g. a province, as in customer.region), overrides of step texts, prompts and offers. */
    variants,
    rules: {
      type: 'object',
      propertyNames: id,
      additionalProperties: {
        type: 'object',
        required: ['title', 'all'],
        additionalProperties: false,
        properties: { title: localized, all: { type: 'array', minItems: 1, items: ruleCheck } },
      },
    },
    machine: {
      type: 'object',
      required: ['id', 'initial', 'states'],
      additionalProperties: false,
      properties: {
        id,
        initial: { type: 'string', minLength: 1 },
        context: { type: 'object' },
        description: { type: 'string' },
        states: { type: 'object', minProperties: 1, propertyNames: id, additionalProperties: stateNode },
      },
    },
  },
} as const;
