import type { FlowDefinition } from './flow-definition';
import type { FlowProblem as LoadProblem } from './flow-validator';
import type { MarketingMatrix } from './marketing-matrix';

/**
 * Whether a flow id names a business an accepted offer can move the call into. An offer whose
 * target does not exist would end the call "converted" with nothing done (issue 20 item 4), so
 * the matrix and every flow's own offers are checked against the businesses in force: at boot
 * (the files) and when a supervisor's version is submitted and published.
 */
export type IsBusiness = (flowId: string) => boolean;

const notABusiness = (offerId: string, target: string) =>
  `offer '${offerId}' opens '${target}', which is not a business flow in force; add that flow first or point the offer at one that exists`;

/** Offers of the related-marketing matrix that open no business. */
export function matrixOfferProblems(matrix: MarketingMatrix, isBusiness: IsBusiness): LoadProblem[] {
  return matrix.offers.flatMap((offer, i) =>
    isBusiness(offer.targetFlowId) ? [] : [{ path: `$.offers[${i}].targetFlowId`, message: notABusiness(offer.id, offer.targetFlowId) }],
  );
}

const stateKey = (id: string) => (/^[A-Za-z_$][\w$]*$/.test(id) ? `.${id}` : `['${id}']`);

/**
 * A flow's own offers (step `meta.offers` and its regional variants' offers) that open no business.
 * The flow itself counts when it is a business: an offer may restart it. Tolerates a half-written
 * draft (anything not shaped like offers is left to the schema).
 */
export function flowOfferProblems(definition: unknown, isBusiness: IsBusiness): LoadProblem[] {
  if (!definition || typeof definition !== 'object') return [];
  const flow = definition as Partial<FlowDefinition>;
  const self = typeof flow.id === 'string' && (flow.kind ?? 'business') === 'business' ? flow.id : null;
  const exists = (id: string) => id === self || isBusiness(id);
  const problems: LoadProblem[] = [];
  const check = (offers: unknown, at: string) => {
    if (!Array.isArray(offers)) return;
    offers.forEach((o: { id?: unknown; targetFlowId?: unknown }, i) => {
      if (o && typeof o.targetFlowId === 'string' && !exists(o.targetFlowId))
        problems.push({ path: `${at}[${i}].targetFlowId`, message: notABusiness(String(o.id), o.targetFlowId) });
    });
  };
  const states = flow.machine?.states;
  if (states && typeof states === 'object') {
    for (const [id, node] of Object.entries(states)) check(node?.meta?.offers, `$.machine.states${stateKey(id)}.meta.offers`);
  }
  if (flow.variants && typeof flow.variants === 'object') {
    for (const [region, variant] of Object.entries(flow.variants)) {
      const steps = variant?.steps;
      if (!steps || typeof steps !== 'object') continue;
      for (const [id, step] of Object.entries(steps)) check(step?.offers, `$.variants['${region}'].steps${stateKey(id)}.offers`);
    }
  }
  return problems;
}
