import type { AnyMachineSnapshot } from 'xstate';
import type { CustomerProfile } from '../../backend/customer';
import { AppError } from '../../common/app-error';
import type { CallRecord, LoggedEvent } from '../../decision-log/decision-log';
import type { CompiledFlow } from '../../flows/flow-loader';
import type { FlowResolver } from '../../flows/flow-resolver';
import { machineStart, machineStep } from '../../flows/flow-machine';
import { ADD_NEED, ANOTHER_BUSINESS, FINISH_CALL } from './call-level-options';
import type { CallEventType, CallInput, CallProgress, CallStart, Effect, Segment } from './call-progress-types';
import { traced } from './call-trace';
import { resolveDecisionInput } from './decision-input';
import { pointKey, stepOffers } from './offers';
import { availableOptions, stepIdOf, stepMeta } from './step-model';

type Step = { event: LoggedEvent; progress: CallProgress };
type Actions = readonly { type: string; params?: unknown }[];

/**
 * How a call moves: the one pure function shared by the live engine, crash recovery and QA
 * replay. Given the call so far and one external input (with the time and back-end reply already
 * stamped on it), it returns the event to log and the call after it — across businesses too.
 */
export function beginCall(flow: CompiledFlow, start: CallStart, flows: FlowResolver | null = null): Step {
  const [snapshot, actions] = machineStart(flow.machine, { customer: start.customer });
  const { id, version } = flow.definition;
  const record: CallRecord = {
    id: start.callId,
    flowId: id,
    flowVersion: version,
    agentId: start.agentId,
    callerNumber: start.callerNumber,
    status: 'active',
    outcome: null,
    outcomeDetail: null,
    state: '',
    seq: 0,
    startedAt: start.at,
    updatedAt: start.at,
    endedAt: null,
    currentFlowId: id,
    currentFlowVersion: version,
  };
  const progress: CallProgress = {
    record,
    flow,
    snapshot,
    effects: [],
    needs: [],
    segments: [{ flowId: id, version, status: 'active', outcome: null, by: 'start' }],
    mode: flow.definition.kind === 'enter' ? 'hotline' : 'direct',
    pitched: [],
    enteredSeq: 0,
    trace: { customer: {}, entries: [] },
  };
  const payload = { callerNumber: start.callerNumber, customer: start.customer };
  // `flows` only resolves the matrix the first view's offers are traced from; the step itself never used it.
  return withTrace(null, settle(record, { ...progress, record: { ...record } }, progress, actions, 'call.started', payload, start.at, null), flows);
}

export function advance(progress: CallProgress, input: CallInput, flows: FlowResolver): Step {
  return withTrace(progress, step(progress, input, flows), flows);
}

function withTrace(was: CallProgress | null, { event, progress }: Step, flows: FlowResolver | null): Step {
  progress.trace = traced(was, event, progress, flows);
  return { event, progress };
}

function step(progress: CallProgress, input: CallInput, flows: FlowResolver): Step {
  const { record } = progress;
  if (record.status !== 'active') throw new AppError('OPTION_NOT_AVAILABLE', `Call ${record.id} has ended (${record.status})`);
  if (input.type === 'call.hangup') return settle(record, progress, progress, [], input.type, input.payload, input.at, flows, 'abandoned');
  if (input.type === 'decision' && isCallLevel(String(input.payload.option))) return callLevel(progress, input, flows);
  const machineEvent = toMachineEvent(progress, input, flows);
  const [snapshot, actions] = machineStep(progress.flow.machine, progress.snapshot, machineEvent);
  return settle(record, progress, { ...progress, snapshot }, actions, input.type, input.payload, input.at, flows);
}

/** True between businesses: the last one ended and the hotline waits for the agent's next move. */
export function atHub(progress: CallProgress): boolean {
  return progress.record.status === 'active' && progress.snapshot.status === 'done';
}

/** Which call-level options the agent has now (availability only; inputs are checked on use). */
export function callLevelOptions(progress: CallProgress): string[] {
  if (progress.record.status !== 'active') return [];
  if (atHub(progress)) return [ANOTHER_BUSINESS, FINISH_CALL];
  const meta = stepMeta(progress.flow.definition, stepIdOf(progress.snapshot));
  const business = (progress.flow.definition.kind ?? 'business') === 'business';
  // Direct calls (one business, as the engine's first callers use it) keep exactly the flow's options.
  return progress.mode === 'hotline' && business && meta.marks.includes('D') && (meta.options ?? []).length > 0 ? [ADD_NEED] : [];
}

const isCallLevel = (option: string) => option === ANOTHER_BUSINESS || option === FINISH_CALL || option === ADD_NEED;

function callLevel(progress: CallProgress, input: CallInput, flows: FlowResolver): Step {
  const option = String(input.payload.option);
  if (!callLevelOptions(progress).includes(option)) {
    throw new AppError('OPTION_NOT_AVAILABLE', `Option '${option}' is not available now`, { available: callLevelOptions(progress) });
  }
  const given = (input.payload.input ?? {}) as Record<string, unknown>;
  const extra = Object.keys(given).filter((k) => k !== 'flowId');
  if (extra.length)
    throw new AppError('VALIDATION_FAILED', `Option '${option}' takes only a flowId`, [
      { field: `input.${extra[0]}`, problems: ['not an input of this option'] },
    ]);
  if (option === FINISH_CALL) {
    if (Object.keys(given).length)
      throw new AppError('VALIDATION_FAILED', `Option '${option}' takes no input`, [{ field: 'input.flowId', problems: ['not an input of this option'] }]);
    const hangUp = flows.hangUp(progress.record.startedAt, regionOf(progress));
    if (!hangUp) throw new AppError('NOT_FOUND', 'No hang-up sub-blueprint is configured');
    return startSegment(progress, hangUp, 'agent', input, flows);
  }
  const target = businessFlow(given.flowId, progress, flows);
  if (option === ADD_NEED) {
    const next = { ...progress, needs: [...progress.needs, target.definition.id], effects: [] };
    return settle(progress.record, progress, next, [], input.type, input.payload, input.at, flows);
  }
  return startSegment(progress, target, 'agent', input, flows);
}

/** The customer's region: it picks the regional variant of every business of the call. */
const regionOf = (progress: CallProgress): string | null => (progress.snapshot.context.customer as { region?: string } | undefined)?.region ?? null;

/**
 * A business started during the call runs on the version published when the call started (so a
 * publish never changes a call in progress, and replay picks the same), in the customer's variant.
 */
function businessFlow(flowId: unknown, progress: CallProgress, flows: FlowResolver): CompiledFlow {
  const flow = typeof flowId === 'string' ? flows.at(flowId, progress.record.startedAt, regionOf(progress)) : null;
  if (!flow || (flow.definition.kind ?? 'business') !== 'business') {
    throw new AppError('VALIDATION_FAILED', 'Choose a business', [{ field: 'input.flowId', problems: [`'${String(flowId)}' is not a business flow`] }]);
  }
  return flow;
}

function startSegment(progress: CallProgress, flow: CompiledFlow, by: Segment['by'], input: CallInput, flows: FlowResolver): Step {
  const [snapshot, actions] = machineStart(flow.machine, { customer: progress.snapshot.context.customer as CustomerProfile });
  const segments = [...progress.segments, { flowId: flow.definition.id, version: flow.definition.version, status: 'active' as const, outcome: null, by }];
  const next: CallProgress = { ...progress, flow, snapshot, segments, needs: by === 'queued' ? progress.needs.slice(1) : progress.needs };
  return settle(progress.record, progress, next, actions, input.type, input.payload, input.at, flows);
}

function toMachineEvent(progress: CallProgress, input: CallInput, flows: FlowResolver): { type: string } & Record<string, unknown> {
  const { flow, snapshot } = progress;
  const offers = stepOffers(progress, flows);
  if (snapshot.status !== 'active') throw new AppError('OPTION_NOT_AVAILABLE', 'The call is between businesses: choose the next one or close the call');
  const p = input.payload;
  switch (input.type) {
    case 'decision': {
      const option = availableOptions(flow, snapshot, offers).find((o) => o.id === p.option);
      if (!option) {
        throw new AppError('OPTION_NOT_AVAILABLE', `Option '${String(p.option)}' is not available at step '${stepIdOf(snapshot)}'`, {
          available: [...availableOptions(flow, snapshot, offers).map((o) => o.id), ...callLevelOptions(progress)],
        });
      }
      const meta = stepMeta(flow.definition, stepIdOf(snapshot));
      const resolved = resolveDecisionInput(meta, option, p.input as Record<string, unknown> | undefined, offers);
      return requireHandled(snapshot, { type: option.event, input: resolved });
    }
    case 'backend.reply': {
      const event = p.ok
        ? { type: `xstate.done.actor.${String(p.invokeId)}`, output: p.output }
        : { type: `xstate.error.actor.${String(p.invokeId)}`, error: p.error };
      return requireHandled(snapshot, event);
    }
    case 'timeout':
      return requireHandled(snapshot, { type: String(p.event) });
    default:
      throw new AppError('VALIDATION_FAILED', `Unknown call event type '${String(input.type)}'`);
  }
}

function requireHandled<E extends { type: string }>(snapshot: AnyMachineSnapshot, event: E): E {
  if (!snapshot.can(event)) throw new AppError('OPTION_NOT_AVAILABLE', `Step '${stepIdOf(snapshot)}' does not expect ${event.type}`);
  return event;
}

/**
 * Records the event and moves the call on. When the current business has just ended, the call
 * follows on in the same event: into the product of an accepted offer (if that flow exists by
 * then), into the next need the agent added, to the hub (hotline calls), or to its end.
 */
function settle(
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
    effects: record.status === 'active' ? effectsOf(nextActions) : [],
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
  const effects: Effect[] = [];
  for (const action of actions) {
    const p = (action.params ?? {}) as Record<string, unknown>;
    if (action.type === 'xstate.spawnChild' && typeof p.src === 'string') {
      effects.push({ kind: 'operation', invokeId: String(p.id), src: p.src, input: (p.input as Record<string, unknown>) ?? {} });
    } else if (action.type === 'xstate.raise' && typeof p.delay === 'number') {
      effects.push({ kind: 'timer', delayMs: p.delay, eventType: (p.event as { type: string }).type });
    }
  }
  return effects;
}
