import Ajv from 'ajv';
import * as fs from 'node:fs';
import type { LocalizedText } from '../flows/flow-definition';
import { FlowLoadError } from '../flows/flow-loader';

export interface Criterion {
  id: string;
  title: LocalizedText;
  guide?: LocalizedText;
  /** Share of the total score. */
  weight: number;
  /** Marks run 0 … max. */
  max: number;
  /** Scored from these automatic checks (share of applicable checks passed); a reviewer may override with a reason. */
  auto?: string[];
}

export interface ScorecardForm {
  version: number;
  criteria: Criterion[];
}

const localized = {
  type: 'object',
  required: ['zh-CN', 'en'],
  additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' };
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
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

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
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FlowLoadError(file, [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseScorecardForm(raw, file);
}
