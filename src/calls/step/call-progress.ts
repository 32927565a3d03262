import type { AnyMachineSnapshot } from 'xstate';
import type { CustomerProfile } from '../../backend/customer';
import { AppError } from '../../common/app-error';
import type { CallRecord } from '../../decision-log/decision-log';
import type { CompiledFlow } from '../../flows/flow-loader';
import type { FlowResolver } from '../../flows/flow-resolver';
import { machineStart, machineStep } from '../../flows/flow-machine';
import { ADD_NEED, ANOTHER_BUSINESS, FINISH_CALL } from './call-level-options';
import type { CallInput, CallProgress, CallStart, Effect, Segment } from './call-progress-types';
import { traced } from './call-trace';
import { noneYet } from './empty-list';
import { payloadToLog, resolveDecisionInput } from './decision-input';
import { stepOffers } from './offers';
import { regionOf, settle, type Step } from './settle';
import { availableOptions, stepIdOf, stepMeta } from './step-model';

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
    effects: noneYet(),
    needs: noneYet(),
    segments: [{ flowId: id, version, status: 'active', outcome: null, by: 'start' }],
    mode: flow.definition.kind === 'enter' ? 'hotline' : 'direct',
    pitched: noneYet(),
    enteredSeq: 0,
    trace: { customer: {}, open: null, closed: null },
    ...(start.training ? { training: start.training } : {}),
    ...(start.callback ? { callback: start.callback } : {}),
  };
  const payload = {
    callerNumber: start.callerNumber,
    customer: start.customer,
    ...(start.cti ? { cti: start.cti } : {}),
    ...(start.training ? { training: start.training } : {}),
    ...(start.callback ? { callback: start.callback } : {}),
  };
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
  if (input.type === 'step.flag') return flagged(progress, input, flows);
  if (input.type === 'quick.answer') return inPlace(progress, input, flows);
  if (input.type === 'decision' && isCallLevel(String(input.payload.option))) return callLevel(progress, input, flows);
  const machineEvent = toMachineEvent(progress, input, flows);
  const [snapshot, actions] = machineStep(progress.flow.machine, progress.snapshot, machineEvent);
  // The machine took the digits as typed; the log keeps the decision without them.
  const logged = input.type === 'decision' ? payloadToLog(stepMeta(progress.flow.definition, stepIdOf(progress.snapshot)), input.payload) : input.payload;
  return settle(record, progress, { ...progress, snapshot }, actions, input.type, logged, input.at, flows);
}

/**
 * The agent flagged the step on screen (docs/REDESIGN.md): logged like any input, but the call stays
 * in the step, and what the step was waiting for (a back-end reply, a timer) is still awaited — a
 * rebuild from a log that ends with the flag re-runs it, as it would without the flag.
 */
function flagged(progress: CallProgress, input: CallInput, flows: FlowResolver): Step {
  if (atHub(progress)) throw new AppError('OPTION_NOT_AVAILABLE', 'The call is between businesses: there is no step to flag');
  // A training call is no evidence about the live flows (src/training keeps it apart from operations).
  if (progress.training) throw new AppError('OPTION_NOT_AVAILABLE', 'A training call is not flagged: flag the step from a live call');
  return inPlace(progress, input, flows);
}

/**
 * An event logged where the call is (a flag, a quick answer told): the call stays in its step — or
 * between businesses — and still awaits what it was waiting for.
 */
function inPlace(progress: CallProgress, input: CallInput, flows: FlowResolver): Step {
  const step = settle(progress.record, progress, progress, [], input.type, input.payload, input.at, flows);
  return { event: step.event, progress: { ...step.progress, effects: progress.effects } };
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
    const next = { ...progress, needs: [...progress.needs, target.definition.id], effects: noneYet<Effect>() };
    return settle(progress.record, progress, next, [], input.type, input.payload, input.at, flows);
  }
  return startSegment(progress, target, 'agent', input, flows);
}

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
