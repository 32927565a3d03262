import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate';
import type { CustomerProfile } from '../backend/customer';
import { AppError } from '../common/app-error';
import type { CallEventType } from '../decision-log/call-event.entity';
import type { CallRecord, LoggedEvent } from '../decision-log/decision-log';
import type { CompiledFlow } from '../flows/flow-loader';
import { resolveDecisionInput } from './decision-input';
import { availableOptions, stepIdOf, stepMeta } from './step-model';

/** A side effect the machine asked for on its last transition; the engine carries it out. */
export type Effect =
  | { kind: 'operation'; invokeId: string; src: string; input: Record<string, unknown> }
  | { kind: 'timer'; delayMs: number; eventType: string };

export interface CallProgress {
  record: CallRecord;
  snapshot: AnyMachineSnapshot;
  effects: Effect[];
}

export interface CallInput {
  type: Exclude<CallEventType, 'call.started'>;
  payload: Record<string, unknown>;
  at: string;
}

export interface CallStart {
  callId: string;
  agentId: string;
  callerNumber: string;
  customer: CustomerProfile;
  at: string;
}

/**
 * How a call moves: the one pure function shared by the live engine, crash recovery and QA
 * replay. Given the flow version, the call so far and one external input (with the time and
 * back-end reply already stamped on it), it returns the event to log and the call after it.
 */
export function beginCall(flow: CompiledFlow, start: CallStart): { event: LoggedEvent; progress: CallProgress } {
  const [snapshot, actions] = initialTransition(flow.machine, { customer: start.customer });
  const { id, version } = flow.definition;
  const base: CallRecord = {
    id: start.callId, flowId: id, flowVersion: version, agentId: start.agentId, callerNumber: start.callerNumber,
    status: 'active', outcome: null, outcomeDetail: null, state: '', seq: 0, startedAt: start.at, updatedAt: start.at, endedAt: null,
  };
  const payload = { callerNumber: start.callerNumber, customer: start.customer };
  return settle(flow, base, snapshot, actions, 'call.started', payload, start.at, false);
}

export function advance(flow: CompiledFlow, progress: CallProgress, input: CallInput): { event: LoggedEvent; progress: CallProgress } {
  const { record, snapshot } = progress;
  if (record.status !== 'active') throw new AppError('OPTION_NOT_AVAILABLE', `Call ${record.id} has ended (${record.status})`);
  if (input.type === 'call.hangup') return settle(flow, record, snapshot, [], input.type, input.payload, input.at, true);
  const machineEvent = toMachineEvent(flow, snapshot, input);
  const [next, actions] = transition(flow.machine, snapshot, machineEvent);
  return settle(flow, record, next, actions, input.type, input.payload, input.at, false);
}

function toMachineEvent(flow: CompiledFlow, snapshot: AnyMachineSnapshot, input: CallInput): { type: string } & Record<string, unknown> {
  const p = input.payload;
  switch (input.type) {
    case 'decision': {
      const option = availableOptions(flow, snapshot).find((o) => o.id === p.option);
      if (!option) {
        throw new AppError('OPTION_NOT_AVAILABLE', `Option '${String(p.option)}' is not available at step '${stepIdOf(snapshot)}'`, {
          available: availableOptions(flow, snapshot).map((o) => o.id),
        });
      }
      const meta = stepMeta(flow.definition, stepIdOf(snapshot));
      const resolved = resolveDecisionInput(meta, option, p.input as Record<string, unknown> | undefined, snapshot.context);
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

function settle(
  flow: CompiledFlow,
  before: CallRecord,
  snapshot: AnyMachineSnapshot,
  actions: readonly { type: string; params?: unknown }[],
  type: CallEventType,
  payload: Record<string, unknown>,
  at: string,
  hangup: boolean,
): { event: LoggedEvent; progress: CallProgress } {
  const state = stepIdOf(snapshot);
  const done = snapshot.status === 'done';
  const meta = stepMeta(flow.definition, state);
  const context = snapshot.context as Record<string, unknown>;
  const record: CallRecord = {
    ...before,
    seq: before.seq + 1,
    state,
    status: hangup ? 'abandoned' : done ? 'completed' : 'active',
    outcome: hangup ? 'abandoned' : done ? meta.outcome ?? 'completed' : null,
    outcomeDetail: done && meta.report ? Object.fromEntries(meta.report.map((k) => [k, context[k] ?? null])) : null,
    updatedAt: at,
    endedAt: hangup || done ? at : null,
  };
  const event: LoggedEvent = {
    callId: record.id, seq: record.seq, type, payload, agentId: record.agentId, flowId: record.flowId,
    flowVersion: record.flowVersion, stateBefore: before.seq === 0 ? null : before.state, stateAfter: state, at,
  };
  return { event, progress: { record, snapshot, effects: record.status === 'active' ? effectsOf(actions) : [] } };
}

function effectsOf(actions: readonly { type: string; params?: unknown }[]): Effect[] {
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
