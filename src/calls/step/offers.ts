import type { OfferDefinition } from '../../flows/flow-definition';
import type { FlowResolver } from '../../flows/flow-resolver';
import { evaluate } from '../../flows/conditions';
import { matrixOffers } from '../../flows/marketing-matrix';
import { ObjectMemo } from '../../common/object-memo';
import type { CallProgress } from './call-progress-types';
import { noneYet } from './empty-list';
import { stepIdOf, stepMeta } from './step-model';

export const pointKey = (flowId: string, stepId: string) => `${flowId}/${stepId}`;

/**
 * The offers of the step the call is at: the flow's own, plus the matrix's for this business and
 * step ranked by fit — unless a frequency rule says no pitch (after a complaint in this call, or
 * this marketing point was already pitched earlier in the call). The array is shared: read it only.
 */
export function stepOffers(progress: CallProgress, flows: FlowResolver | null): OfferDefinition[] {
  const known = shown.get(progress);
  if (known?.flows === flows) return known.offers;
  const offers = offersOf(progress, flows);
  // Most steps offer nothing: they share one empty list (the same each time, as the options' memo
  // needs) and keep nothing on the progress (an idle call's memory).
  if (!offers.length) return NO_OFFERS;
  shown.set(progress, { flows, offers });
  return offers;
}

const NO_OFFERS = noneYet<OfferDefinition>();

/**
 * A call's progress is never changed once made (each input makes a new one), so its offers are
 * worked out once: the view rendered from it and the decision that follows it ask for the same.
 * Kept on the progress, not in a WeakMap (common/object-memo.ts: a mark-compact settles every
 * WeakMap entry in its pause).
 */
const shown = new ObjectMemo<CallProgress, { flows: FlowResolver | null; offers: OfferDefinition[] }>('offers shown');

function offersOf(progress: CallProgress, flows: FlowResolver | null): OfferDefinition[] {
  const { flow, snapshot } = progress;
  if (snapshot.status !== 'active') return [];
  const stepId = stepIdOf(snapshot);
  const meta = stepMeta(flow.definition, stepId);
  if (!meta.offers && !meta.offersFrom) return [];
  const matrix = flows?.matrix(progress.record.startedAt) ?? null;
  if (matrix) {
    if (progress.segments.some((s) => matrix.suppress.afterFlows.includes(s.flowId))) return [];
    const key = pointKey(flow.definition.id, stepId);
    if (matrix.suppress.onePitchPerPoint && progress.pitched.some((p) => p.point === key && p.seq < progress.enteredSeq)) return [];
  }
  const context = snapshot.context as Record<string, unknown>;
  const inline = (meta.offers ?? []).filter((o) => !o.when || evaluate(o.when, context));
  const fromMatrix = meta.offersFrom === 'matrix' && matrix ? matrixOffers(matrix, flow.definition.id, stepId, context) : [];
  return [...inline, ...fromMatrix.filter((o) => !inline.some((i) => i.id === o.id))];
}
