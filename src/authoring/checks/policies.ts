import { kindedListParser, readJsonFile } from '../../flows/json-data-file';
import type { LocalizedText } from '../../flows/flow-definition';
import { ID_SCHEMA, listOf, LOCALIZED_SCHEMA, stepSelectorSchema } from '../../flows/schema-parts';
import type { Selector } from '../../flows/step-selector';

/** Which flows a policy is about; absent = every flow. A flow without `kind` is a business flow. */
export interface AppliesTo {
  kinds?: ('business' | 'enter' | 'hang-up')[];
  flows?: string[];
}

interface PolicyBase {
  id: string;
  title: LocalizedText;
  appliesTo?: AppliesTo;
}

/** On every path from the initial state into a `to` state, states matching each of `passes` come first. */
export interface PrecededByPolicy extends PolicyBase {
  kind: 'precededBy';
  to: Selector;
  passes: Selector[];
  /** The `passes` must be met in the listed order. */
  inOrder: boolean;
}

/** Every matching state has an agent option leading somewhere that does not match `exit.notTo`. */
export interface HasWayOutPolicy extends PolicyBase {
  kind: 'hasWayOut';
  states: Selector;
  exit: { agentOption: true; notTo: Selector };
}

/** Every matching state has an option taking no `offer` input: the customer can say no. */
export interface HasOptionPolicy extends PolicyBase {
  kind: 'hasOption';
  states: Selector;
  option: { takesOffer: false };
}

export type Policy = PrecededByPolicy | HasWayOutPolicy | HasOptionPolicy;

export interface PolicySet {
  version: number;
  policies: Policy[];
}

const POLICY_KINDS = ['precededBy', 'hasWayOut', 'hasOption'] as const;

const id = ID_SCHEMA;
const localized = LOCALIZED_SCHEMA;
const list = listOf;
const selector = stepSelectorSchema();
const common = {
  id,
  title: localized,
  appliesTo: {
    type: 'object',
    additionalProperties: false,
    properties: { kinds: list({ enum: ['business', 'enter', 'hang-up'] }), flows: list(id) },
  },
};
const policy = (kind: string, required: string[], properties: object) => ({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'title', ...required],
  properties: { ...common, kind: { const: kind }, ...properties },
});
const policiesSchema = {
  type: 'object',
  required: ['version', 'policies'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    policies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        // The discriminator makes ajv report the errors of the policy's own kind, not of every kind.
        discriminator: { propertyName: 'kind' },
        oneOf: [
          policy('precededBy', ['to', 'passes', 'inOrder'], {
            to: selector,
            passes: { type: 'array', minItems: 1, items: selector },
            inOrder: { type: 'boolean' },
          }),
          policy('hasWayOut', ['states', 'exit'], {
            states: selector,
            exit: {
              type: 'object',
              required: ['agentOption', 'notTo'],
              additionalProperties: false,
              properties: { agentOption: { const: true }, notTo: selector },
            },
          }),
          policy('hasOption', ['states', 'option'], {
            states: selector,
            option: { type: 'object', required: ['takesOffer'], additionalProperties: false, properties: { takesOffer: { const: false } } },
          }),
        ],
      },
    },
  },
};

/** Checks a parsed policy file; `source` names it in errors. Throws FlowLoadError with each problem's JSON path. */
export const parsePolicies = kindedListParser<PolicySet>('authoring-policies', policiesSchema, 'policies', 'policy', POLICY_KINDS);

export function loadPolicies(file: string): PolicySet {
  return parsePolicies(readJsonFile(file), file);
}
/** Whether the policy is about this flow (by its `kind`, default `business`, and its id). */
export function policyApplies(policy: Policy, flow: { id?: unknown; kind?: unknown }): boolean {
  const kind = typeof flow.kind === 'string' ? flow.kind : 'business';
  const kinds = policy.appliesTo?.kinds as string[] | undefined;
  const flows = policy.appliesTo?.flows;
  return (!kinds || kinds.includes(kind)) && (!flows || flows.includes(String(flow.id)));
}
