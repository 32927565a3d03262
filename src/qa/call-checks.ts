import { kindedListParser, readJsonFile } from '../flows/json-data-file';
import { ID_SCHEMA, listOf, LOCALIZED_SCHEMA, stepSelectorSchema } from '../flows/schema-parts';
import type { Selector } from '../flows/step-selector';
import type { CallStatus } from '../decision-log/call.entity';
import type { LocalizedText } from '../flows/flow-definition';
import type { FlowKind } from './timeline';

/** The authoring selector (AND of fields, OR within a field) plus the kind of flow the step is in. */
export interface StepSelector extends Selector {
  flowKind?: FlowKind;
}

interface CheckBase {
  id: string;
  title: LocalizedText;
  /** Which businesses of the call the check looks at; absent = all. */
  appliesTo?: { flows?: string[] };
}

/** Every step passed with care prompts on screen was left by a decision confirming all of them. */
export interface PromptsConfirmedCheck extends CheckBase {
  kind: 'promptsConfirmed';
  /** Absent: every step that showed prompts. */
  states?: StepSelector;
}

/** Within each business, a step matching `first` is visited before any step matching `then`. */
export interface OrderCheck extends CheckBase {
  kind: 'order';
  first: StepSelector;
  then: StepSelector;
}

/**
 * Offers shown were answered (accepted, or declined by one of `declineOptions`), and no step shows
 * offers where the declared frequency rules forbid it. Declared here rather than read from the
 * matrix, so QA verifies the engine instead of repeating it.
 */
export interface OffersCheck extends CheckBase {
  kind: 'offersAtEligiblePoints';
  /** Absent: every step that showed offers. */
  states?: StepSelector;
  declineOptions: string[];
  frequency?: { afterFlows?: string[]; onePitchPerPoint?: boolean };
}

/** The call visited a step matching `state` — for calls matching `when` only. */
export interface VisitsCheck extends CheckBase {
  kind: 'visits';
  state: StepSelector;
  when?: { status?: CallStatus[]; mode?: ('hotline' | 'direct')[] };
}

export type CallCheck = PromptsConfirmedCheck | OrderCheck | OffersCheck | VisitsCheck;

export interface CallCheckSet {
  version: number;
  checks: CallCheck[];
}

const CHECK_KINDS = ['promptsConfirmed', 'order', 'offersAtEligiblePoints', 'visits'] as const;

const id = ID_SCHEMA;
const localized = LOCALIZED_SCHEMA;
const list = listOf;
// Plus the kind of flow the step is in.
const selector = stepSelectorSchema({ flowKind: { enum: ['business', 'enter', 'hang-up'] } });
const check = (kind: string, required: string[], properties: object) => ({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'title', ...required],
  properties: {
    id,
    title: localized,
    kind: { const: kind },
    appliesTo: { type: 'object', additionalProperties: false, minProperties: 1, properties: { flows: list(id) } },
    ...properties,
  },
});
const schema = {
  type: 'object',
  required: ['version', 'checks'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        // The discriminator makes ajv report the errors of the check's own kind, not of every kind.
        discriminator: { propertyName: 'kind' },
        oneOf: [
          check('promptsConfirmed', [], { states: selector }),
          check('order', ['first', 'then'], { first: selector, then: selector }),
          check('offersAtEligiblePoints', ['declineOptions'], {
            states: selector,
            declineOptions: list({ type: 'string', minLength: 1 }),
            frequency: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: { afterFlows: list(id), onePitchPerPoint: { type: 'boolean' } },
            },
          }),
          check('visits', ['state'], {
            state: selector,
            when: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: { status: list({ enum: ['active', 'completed', 'abandoned'] }), mode: list({ enum: ['hotline', 'direct'] }) },
            },
          }),
        ],
      },
    },
  },
};

/** Checks a parsed call-checks file; `source` names it in errors. Throws FlowLoadError with each problem's JSON path. */
export const parseCallChecks = kindedListParser<CallCheckSet>('qa-call-checks', schema, 'checks', 'check', CHECK_KINDS);

export function loadCallChecks(file: string): CallCheckSet {
  return parseCallChecks(readJsonFile(file), file);
}
