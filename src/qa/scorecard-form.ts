import { schemaValidator } from '../common/schema-validator';
import type { Criterion, ScorecardForm } from '../../protocol/qa';
import { FlowLoadError } from '../flows/flow-loader';
import { readJsonFile } from '../flows/json-data-file';
import { ID_SCHEMA, LOCALIZED_SCHEMA } from '../flows/schema-parts';

/** The form is served as it is (`GET /api/qa/scorecard-form`): its types are in protocol/qa.d.ts. */
export type { Criterion, ScorecardForm };

const localized = LOCALIZED_SCHEMA;
const id = ID_SCHEMA;
const schema = {
  type: 'object',
  required: ['version', 'criteria'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    criteria: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'title', 'weight', 'max'],
        additionalProperties: false,
        properties: {
          id,
          title: localized,
          guide: localized,
          weight: { type: 'number', exclusiveMinimum: 0 },
          max: { type: 'integer', minimum: 1, maximum: 100 },
          auto: { type: 'array', minItems: 1, items: id },
        },
      },
    },
  },
};
const validate = schemaValidator({ key: 'scorecard-form', schema, options: { allErrors: true, strict: false } });

/** The QA form: criteria and weights as data (SCORECARD_FILE), so a centre changes its form without a release. */
export function parseScorecardForm(raw: unknown, source: string): ScorecardForm {
  if (!validate(raw))
    throw new FlowLoadError(
      source,
      (validate.errors ?? []).map((e) => ({ path: `$${e.instancePath.replace(/\//g, '.')}`, message: e.message ?? 'is invalid' })),
    );
  const form = raw as unknown as ScorecardForm;
  const seen = new Set<string>();
  const dupes = form.criteria.map((c, i) => ({ c, i })).filter(({ c }) => seen.has(c.id) || !seen.add(c.id));
  if (dupes.length)
    throw new FlowLoadError(
      source,
      dupes.map(({ c, i }) => ({ path: `$.criteria[${i}].id`, message: `duplicate criterion '${c.id}'` })),
    );
  return form;
}

export function loadScorecardForm(file: string): ScorecardForm {
  return parseScorecardForm(readJsonFile(file), file);
}
