import { schemaValidator } from '../common/schema-validator';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { evaluate } from './conditions';
import type { ConditionExpr, LocalizedText, OfferDefinition } from './flow-definition';
import { conditionSchema } from './flow.schema';
import { FlowLoadError } from './flow-loader';

/**
 * The related-marketing matrix (业务关联营销矩阵) as data: which offers relate to which business
 * step and reason, who is eligible (brand, tier, services held, region), how well each fits a
 * customer, and the frequency rules. Versioned and frozen like flows, so a replay sees the matrix
 * the call saw.
 */
export interface MatrixOffer {
  id: string;
  targetFlowId: string;
  title: LocalizedText;
  pitch: LocalizedText;
  /** Who may be offered it, over `customer.*` (and the call context). */
  eligible?: ConditionExpr;
  /** Fit to the customer profile: matched weights add up; offers are shown best fit first. */
  fit?: { when: ConditionExpr; weight: number }[];
}

export interface MatrixPoint {
  flowId: string;
  stepId: string;
  /** E.g. the reason the customer gave: `{fact: 'reason', eq: 'travel'}`. */
  when?: ConditionExpr;
  offers: string[];
  /** At most this many offers pitched at this point (best fit first). */
  limit?: number;
}

export interface MarketingMatrix {
  version: number;
  suppress: {
    /** Never pitch in a call that has been through one of these businesses (e.g. a complaint). */
    afterFlows: string[];
    /** A marketing point is pitched at most once per call. */
    onePitchPerPoint: boolean;
  };
  offers: MatrixOffer[];
  points: MatrixPoint[];
}

const localized = { type: 'object', required: ['zh-CN', 'en'], additionalProperties: false, properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } } };
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' };
const condition = { $ref: 'laihua/condition' };
const matrixSchema = {
  type: 'object',
  required: ['version', 'suppress', 'offers', 'points'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    suppress: {
      type: 'object', required: ['afterFlows', 'onePitchPerPoint'], additionalProperties: false,
      properties: { afterFlows: { type: 'array', items: id }, onePitchPerPoint: { type: 'boolean' } },
    },
    offers: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'targetFlowId', 'title', 'pitch'], additionalProperties: false,
        properties: {
          id, targetFlowId: id, title: localized, pitch: localized, eligible: condition,
          fit: { type: 'array', items: { type: 'object', required: ['when', 'weight'], additionalProperties: false, properties: { when: condition, weight: { type: 'number' } } } },
        },
      },
    },
    points: {
      type: 'array',
      items: {
        type: 'object', required: ['flowId', 'stepId', 'offers'], additionalProperties: false,
        properties: { flowId: id, stepId: id, when: condition, offers: { type: 'array', minItems: 1, items: id }, limit: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

const validateMatrix = schemaValidator({ key: 'marketing-matrix', schema: matrixSchema, options: { allErrors: true, strict: false }, refs: [conditionSchema] });

export function loadMatrixFile(file: string): { matrix: MarketingMatrix; hash: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FlowLoadError(file, [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseMatrix(raw, file);
}

export function parseMatrix(raw: unknown, source: string): { matrix: MarketingMatrix; hash: string } {
  if (!validateMatrix(raw)) {
    throw new FlowLoadError(source, (validateMatrix.errors ?? []).map((e) => ({ path: `$${e.instancePath.replace(/\//g, '.')}`, message: e.message ?? 'is invalid' })));
  }
  const matrix = raw as unknown as MarketingMatrix;
  const ids = new Set(matrix.offers.map((o) => o.id));
  const problems = matrix.points.flatMap((p, i) => p.offers.filter((o) => !ids.has(o)).map((o) => ({ path: `$.points[${i}].offers`, message: `unknown offer '${o}'` })));
  if (problems.length) throw new FlowLoadError(source, problems);
  return { matrix, hash: createHash('sha256').update(JSON.stringify(matrix)).digest('hex') };
}

/** The matrix's offers for one step of one business, for this customer, best fit first. */
export function matrixOffers(matrix: MarketingMatrix, flowId: string, stepId: string, facts: Record<string, unknown>): OfferDefinition[] {
  const byId = new Map(matrix.offers.map((o) => [o.id, o]));
  const chosen: { offer: MatrixOffer; fit: number; order: number; limit: number }[] = [];
  matrix.points
    .filter((p) => p.flowId === flowId && p.stepId === stepId && (!p.when || evaluate(p.when, facts)))
    .forEach((point) => {
      const ranked = point.offers
        .map((offerId, order) => ({ offer: byId.get(offerId)!, order }))
        .filter(({ offer }) => !offer.eligible || evaluate(offer.eligible, facts))
        .map(({ offer, order }) => ({ offer, order, fit: (offer.fit ?? []).reduce((sum, f) => sum + (evaluate(f.when, facts) ? f.weight : 0), 0) }))
        .sort((a, b) => b.fit - a.fit || a.order - b.order)
        .slice(0, point.limit ?? Infinity);
      for (const r of ranked) if (!chosen.some((c) => c.offer.id === r.offer.id)) chosen.push({ ...r, limit: point.limit ?? Infinity });
    });
  return chosen
    .sort((a, b) => b.fit - a.fit || a.order - b.order)
    .map(({ offer }) => ({ id: offer.id, targetFlowId: offer.targetFlowId, title: offer.title, pitch: offer.pitch }));
}
