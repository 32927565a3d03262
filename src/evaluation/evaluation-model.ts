import { schemaValidator } from '../common/schema-validator';
import { createHash } from 'node:crypto';
import type { EvaluationModel, ModelIndicator } from '../../protocol/evaluation';
import { FlowLoadError } from '../flows/flow-loader';
import { readJsonFile, schemaProblem } from '../flows/json-data-file';
import type { FlowProblem } from '../flows/flow-validator';
import { FORMULAS } from './formulas';

/**
 * The evaluation model as data (flows/evaluation/evaluation-model.json): dimensions → sub-dimensions
 * → indicators, each with its source (a named formula laihua computes, the satisfaction replies, or
 * data to import), unit, direction, target and weight; and the lifecycle stages with their weights.
 * Checked when the server starts (an invalid file stops the boot, like the flows).
 */
const localized = {
  type: 'object',
  required: ['zh-CN', 'en'],
  additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 };
const weight = { type: 'number', minimum: 0, maximum: 100 };
const named = (extra: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: ['id', 'name', 'weight', ...required],
  additionalProperties: false,
  properties: { id, name: localized, weight, ...extra },
});
const indicator = named(
  {
    source: { enum: ['computed', 'satisfaction', 'imported'] },
    formula: { type: 'string', minLength: 1 },
    needs: localized,
    unit: { enum: ['ratio', 'ms', 'count', 'steps', 'score'] },
    direction: { enum: ['higher', 'lower', 'none'] },
    target: { type: 'number', minimum: 0 },
  },
  ['source', 'unit', 'direction'],
);
const modelSchema = {
  type: 'object',
  required: ['version', 'dimensions', 'stages', 'quadrant'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    dimensions: {
      type: 'array',
      minItems: 1,
      items: named(
        { subDimensions: { type: 'array', minItems: 1, items: named({ indicators: { type: 'array', minItems: 1, items: indicator } }, ['indicators']) } },
        ['subDimensions'],
      ),
    },
    stages: { type: 'array', items: named({ flows: { type: 'array', items: id } }, ['flows']) },
    quadrant: {
      type: 'object',
      required: ['satisfactionIndicator', 'fallbackDimension', 'satisfactionSplit'],
      additionalProperties: false,
      properties: { satisfactionIndicator: id, fallbackDimension: id, satisfactionSplit: { type: 'number', minimum: 0, maximum: 100 } },
    },
  },
};
const validate = schemaValidator({ key: 'evaluation-model', schema: modelSchema, options: { allErrors: true, strict: false } });
const problemOf = schemaProblem('source', ['computed', 'satisfaction', 'imported']);

export const indicatorsOf = (model: EvaluationModel): ModelIndicator[] => model.dimensions.flatMap((d) => d.subDimensions.flatMap((s) => s.indicators));

/** What the schema cannot say: distinct ids, formulas that exist for their source, a target for every scored indicator, needs for imported ones, a business in one stage at most. */
function modelProblems(model: EvaluationModel): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const seen = new Set<string>();
  const once = (path: string, x: string) => (seen.has(x) ? problems.push({ path, message: `duplicate id '${x}'` }) : seen.add(x));
  model.dimensions.forEach((d, di) => {
    once(`$.dimensions[${di}].id`, d.id);
    d.subDimensions.forEach((s, si) => {
      once(`$.dimensions[${di}].subDimensions[${si}].id`, s.id);
      s.indicators.forEach((x, ii) => {
        const at = `$.dimensions[${di}].subDimensions[${si}].indicators[${ii}]`;
        once(`${at}.id`, x.id);
        if (x.source === 'imported') {
          if (!x.needs) problems.push({ path: `${at}.needs`, message: 'an imported indicator says which data it needs' });
          if (x.formula) problems.push({ path: `${at}.formula`, message: 'an imported indicator has no formula' });
        } else if (!x.formula || FORMULAS[x.formula]?.source !== x.source) {
          const known = Object.keys(FORMULAS).filter((f) => FORMULAS[f].source === x.source);
          problems.push({ path: `${at}.formula`, message: `unknown ${x.source} formula '${x.formula ?? ''}' (one of ${known.join(', ')})` });
        }
        if (x.direction === 'none' ? x.weight !== 0 : x.target === undefined || x.target <= 0)
          problems.push({
            path: `${at}.${x.direction === 'none' ? 'weight' : 'target'}`,
            message: x.direction === 'none' ? 'an unscored indicator has weight 0' : 'a scored indicator needs a target > 0',
          });
      });
    });
  });
  const indicator = indicatorsOf(model).find((x) => x.id === model.quadrant.satisfactionIndicator);
  if (indicator?.source !== 'satisfaction') problems.push({ path: '$.quadrant.satisfactionIndicator', message: `not a satisfaction indicator of the model` });
  if (!model.dimensions.some((d) => d.id === model.quadrant.fallbackDimension))
    problems.push({ path: '$.quadrant.fallbackDimension', message: 'not a dimension of the model' });
  const staged = new Set<string>();
  model.stages.forEach((st, i) => {
    once(`$.stages[${i}].id`, st.id);
    for (const f of st.flows) {
      if (staged.has(f)) problems.push({ path: `$.stages[${i}].flows`, message: `business '${f}' is in two stages` });
      staged.add(f);
    }
  });
  return problems;
}

export function parseEvaluationModel(raw: unknown, source: string): { model: EvaluationModel; hash: string } {
  if (!validate(raw)) throw new FlowLoadError(source, (validate.errors ?? []).map(problemOf));
  const { version, dimensions, stages, quadrant } = raw as unknown as EvaluationModel;
  const model = { version, dimensions, stages, quadrant };
  const problems = modelProblems(model);
  if (problems.length) throw new FlowLoadError(source, problems);
  return { model, hash: createHash('sha256').update(JSON.stringify(model)).digest('hex') };
}

export const loadEvaluationModel = (file: string) => parseEvaluationModel(readJsonFile(file), file);
