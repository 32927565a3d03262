import type { CustomerProfile } from '../../backend/customer';
import type { CallRecord, LoggedEvent } from '../../decision-log/decision-log';
import type { CompiledFlow } from '../../flows/flow-loader';
import type { FlowResolver } from '../../flows/flow-resolver';
import { machineStart } from '../../flows/flow-machine';
import type { CallEventType, CallProgress, Effect, Segment } from './call-progress-types';
import { noneYet } from './empty-list';
import { pointKey, stepOffers } from './offers';
import { stepIdOf, stepMeta } from './step-model';

/**
 * The second half of every step (call-progress.ts decides what the input does): the event to log,
 * the call's new summary row, where the call goes when a business ends, and the effects the
 * engine is to carry out next.
 */

export type Step = { event: LoggedEvent; progress: CallProgress };
export type Actions = readonly { type: string; params?: unknown }[];

/** The customer's region: it picks the regional variant of every business of the call. */
export const regionOf = (progress: CallProgress): string | null => (progress.snapshot.context.customer as { region?: string } | undefined)?.region ?? null;

/**
 * Records the event and moves the call on. When the current business has just ended, the call
 * follows on in the same event: into the product of an accepted offer (if that flow exists by
 * then), into the next need the agent added, to the hub (hotline calls), or to its end.
 */
export function settle(
  before: CallRecord,
  was: CallProgress,
  progress: CallProgress,
  actions: Actions,
  type: CallEventType,
  payload: Record<string, unknown>,
  at: string,
  flows: FlowResolver | null,
  ending: 'abandoned' | null = null,
): Step {
  let next = progress;
  let nextActions = actions;
  const segmentJustEnded = next.snapshot.status === 'done' && next.segments.at(-1)!.status === 'active';
  if (segmentJustEnded && !ending) {
    const meta = stepMeta(next.flow.definition, stepIdOf(next.snapshot));
    const segments = next.segments.map((s, i) =>
      i === next.segments.length - 1 ? { ...s, status: 'done' as const, outcome: meta.outcome ?? 'completed' } : s,
    );
    next = { ...next, segments };
    const followOn = flows ? followOnFlow(next, flows) : null;
    if (followOn) {
      const [snapshot, startActions] = machineStart(followOn.flow.machine, { customer: next.snapshot.context.customer as CustomerProfile });
      next = {
        ...next,
        flow: followOn.flow,
        snapshot,
        segments: [
          ...next.segments,
          {
            flowId: followOn.flow.definition.id,
            version: followOn.flow.definition.version,
            status: 'active',
            outcome: null,
            by: followOn.by,
          },
        ],
        needs: followOn.by === 'queued' ? next.needs.slice(1) : next.needs,
      };
      nextActions = startActions;
    }
  }
  const state = stepIdOf(next.snapshot);
  const ended = ending !== null || (next.snapshot.status === 'done' && !(next.mode === 'hotline' && next.flow.definition.kind !== 'hang-up'));
  const record: CallRecord = {
    ...before,
    seq: before.seq + 1,
    state,
    currentFlowId: next.flow.definition.id,
    currentFlowVersion: next.flow.definition.version,
    status: ending ?? (ended ? 'completed' : 'active'),
    outcome: ending ?? (ended ? callOutcome(next) : null),
    outcomeDetail: ended && !ending ? outcomeDetail(next) : null,
    updatedAt: at,
    endedAt: ended ? at : null,
  };
  const entered = before.seq === 0 || was.flow !== next.flow || stepIdOf(was.snapshot) !== state || was.segments.length !== next.segments.length;
  const after: CallProgress = {
    ...next,
    record,
    enteredSeq: entered ? record.seq : next.enteredSeq,
    effects: record.status === 'active' ? effectsOf(nextActions) : noneYet(),
  };
  // Entering a step that shows offers pitches its marketing point. A pitch at this very seq does not
  // change the step's own offers (only pitches before it was entered suppress them), so the offers
  // worked out here, remembered for `after`, are also the ones its view shows.
  if (entered && record.status === 'active' && stepOffers(after, flows).length) {
    after.pitched = [...after.pitched, { point: pointKey(after.flow.definition.id, state), seq: record.seq }];
  }
  const event: LoggedEvent = {
    callId: record.id,
    seq: record.seq,
    type,
    payload,
    agentId: record.agentId,
    flowId: before.seq === 0 ? record.flowId : was.flow.definition.id,
    flowVersion: before.seq === 0 ? record.flowVersion : was.flow.definition.version,
    stateBefore: before.seq === 0 ? null : before.state,
    flowIdAfter: record.currentFlowId,
    flowVersionAfter: record.currentFlowVersion,
    stateAfter: state,
    at,
  };
  return { event, progress: after };
}

function followOnFlow(progress: CallProgress, flows: FlowResolver): { flow: CompiledFlow; by: Segment['by'] } | null {
  const at = progress.record.startedAt;
  const offer = progress.snapshot.context.acceptedOffer as { targetFlowId?: string } | null | undefined;
  const ended = stepMeta(progress.flow.definition, stepIdOf(progress.snapshot));
  if (ended.outcome === 'converted' && offer?.targetFlowId) {
    const target = flows.at(offer.targetFlowId, at, regionOf(progress));
    if (target && (target.definition.kind ?? 'business') === 'business') return { flow: target, by: 'offer' };
  }
  if (progress.flow.definition.kind === 'hang-up') return null;
  for (const flowId of progress.needs.slice(0, 1)) {
    const need = flows.at(flowId, at, regionOf(progress));
    if (need) return { flow: need, by: 'queued' };
  }
  return null;
}

/** A direct call ends with its last business's outcome; a hotline call, once closed, is `completed`. */
function callOutcome(progress: CallProgress): string {
  if (progress.mode === 'hotline') return 'completed';
  return progress.segments.at(-1)!.outcome ?? 'completed';
}

function outcomeDetail(progress: CallProgress): Record<string, unknown> | null {
  const meta = stepMeta(progress.flow.definition, stepIdOf(progress.snapshot));
  const context = progress.snapshot.context as Record<string, unknown>;
  const report = meta.report ? Object.fromEntries(meta.report.map((k) => [k, (Object.hasOwn(context, k) ? context[k] : null) ?? null])) : {};
  const businesses =
    progress.segments.length > 1 ? { businesses: progress.segments.map(({ flowId, version, outcome, by }) => ({ flowId, version, outcome, by })) } : {};
  const detail = { ...report, ...businesses };
  return Object.keys(detail).length ? detail : null;
}

function effectsOf(actions: Actions): Effect[] {
  if (!actions.length) return noneYet();
  const effects: Effect[] = [];
  for (const action of actions) {
    const p = (action.params ?? {}) as Record<string, unknown>;
    if (action.type === 'xstate.spawnChild' && typeof p.src === 'string') {
      effects.push({ kind: 'operation', invokeId: String(p.id), src: p.src, input: (p.input as Record<string, unknown>) ?? {} });
    } else if (action.type === 'xstate.raise' && typeof p.delay === 'number') {
      effects.push({ kind: 'timer', delayMs: p.delay, eventType: (p.event as { type: string }).type });
    }
  }
  return effects.length ? effects : noneYet();
}
