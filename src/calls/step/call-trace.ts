import type { OperationEffect } from '../../../protocol/flow-definition';
import type { TimelineAction } from '../../../protocol/qa';
import type { CallTrace, ClosedView, StepShape, TraceEntry, TraceSoFar } from './call-trace-types';
import type { LoggedEvent } from '../../decision-log/decision-log';
import type { FlowDefinition } from '../../flows/flow-definition';
import { toArray } from '../../flows/flow-json';
import type { FlowResolver } from '../../flows/flow-resolver';
import { effectOfOperation } from '../../flows/registry/operation-effects';
import type { CallProgress } from './call-progress-types';
import { noneYet } from './empty-list';
import { stepOffers } from './offers';
import { promptsFor, stepIdOf, stepMeta } from './step-model';

export type { CallTrace, ClosedView, StepShape, TraceEntry, TraceSoFar } from './call-trace-types';

/**
 * The compact trace of a call: per logged event, what QA checks and metrics facts need of the view
 * it produced and of the input that moved the call on from it. The step code carries it in the
 * call's progress as the call runs, so the end-of-call work reads it instead of re-executing the
 * call; replaying the log builds the same trace (it is made by the same step functions), and a
 * timeline (the full re-execution the replay viewer shows) reduces to it (qa/timeline.ts).
 */

/** Only what metrics are filtered by, not the whole profile. */
function dimensionsOfCustomer(customer: unknown): Record<string, unknown> {
  const c = (customer ?? {}) as Record<string, unknown>;
  return { region: c.region, brand: c.brand, tier: c.tier };
}

const shapes = new WeakMap<FlowDefinition, Map<string, StepShape>>();

export function stepShape(definition: FlowDefinition, stepId: string): StepShape {
  let byStep = shapes.get(definition);
  if (!byStep) shapes.set(definition, (byStep = new Map()));
  let shape = byStep.get(stepId);
  if (!shape) {
    const meta = stepMeta(definition, stepId);
    const node = definition.machine.states[stepId];
    const offerInputs = new Set((meta.inputs ?? []).filter((i) => i.type === 'offer').map((i) => i.name));
    shape = {
      flowKind: definition.kind ?? 'business',
      lane: meta.lane,
      marks: meta.marks,
      final: node.type === 'final',
      effects: [
        ...new Set(
          toArray(node.invoke)
            .map((inv) => effectOfOperation(inv.src, inv.input))
            .filter((e): e is OperationEffect => e !== null),
        ),
      ],
      offerOptions: (meta.options ?? []).filter((o) => o.requiresOffers || (o.inputs ?? []).some((n) => offerInputs.has(n))).map((o) => o.id),
    };
    byStep.set(stepId, shape);
  }
  return shape;
}

/** What moved the call on from a view: the next logged event (as the replay viewer shows it). */
export function actionOf(e: Pick<LoggedEvent, 'type' | 'seq' | 'at' | 'payload'>, leftStep: boolean): TimelineAction {
  const p = e.payload;
  const action: TimelineAction = { type: e.type as TimelineAction['type'], seq: e.seq, at: e.at, leftStep };
  if (e.type === 'decision') {
    action.option = String(p.option);
    if (p.input !== undefined) action.input = p.input as Record<string, unknown>;
    if (Array.isArray(p.confirmedPrompts)) action.confirmedPrompts = p.confirmedPrompts.map(String);
  }
  if (e.type === 'step.flag') action.flag = { reason: String(p.reason), text: String(p.text ?? '') };
  if (e.type === 'quick.answer') action.quickAnswer = { answerId: String(p.answerId), query: String(p.query) };
  if (e.type === 'backend.reply') {
    action.reply = {
      operation: String(p.operation),
      ok: p.ok === true,
      ...(p.output !== undefined ? { output: p.output } : {}),
      ...(p.error !== undefined ? { error: p.error } : {}),
      ...(typeof p.latencyMs === 'number' ? { latencyMs: p.latencyMs } : {}),
    };
  }
  return action;
}

/**
 * The trace after one more event: the previous view gets the action that left it, and the view the
 * event produced is added. `was` is the progress before the event (null for `call.started`);
 * `flows` resolves the matrix the view's offers come from (as the view rendered them).
 */
export function traced(was: CallProgress | null, event: LoggedEvent, after: CallProgress, flows: FlowResolver | null): TraceSoFar {
  const added = entryOf(after, event, flows);
  const before = was?.trace;
  if (!before?.open) return { customer: before?.customer ?? dimensionsOfCustomer(event.payload.customer), open: added, closed: before?.closed ?? null };
  const { open } = before;
  const closed: ClosedView = {
    entry: open,
    action: actionOf(event, after.enteredSeq !== was!.enteredSeq),
    durationMs: Date.parse(event.at) - Date.parse(open.enteredAt),
    before: before.closed,
  };
  return { customer: before.customer, open: added, closed };
}

/** The trace's views in the order they were shown: the closed ones with what closed them, then the open one. */
export function traceEntries(trace: TraceSoFar): TraceEntry[] {
  const entries: TraceEntry[] = [];
  for (let view = trace.closed; view; view = view.before) entries.push({ ...view.entry, action: view.action, durationMs: view.durationMs });
  entries.reverse();
  if (trace.open) entries.push(trace.open);
  return entries;
}

/** Shared by every entry that shows no prompts or offers (most): entries are never changed once made. */
const NONE = noneYet<string>();
const idsOf = (xs: readonly { id: string }[]): string[] => (xs.length ? xs.map((x) => x.id) : NONE);

function entryOf(progress: CallProgress, event: LoggedEvent, flows: FlowResolver | null): TraceEntry {
  const { definition } = progress.flow;
  const stepId = stepIdOf(progress.snapshot);
  const hub = progress.record.status === 'active' && progress.snapshot.status === 'done';
  const offers = hub ? NONE : idsOf(stepOffers(progress, flows));
  const entry: TraceEntry = {
    seq: event.seq,
    enteredSeq: progress.enteredSeq,
    segment: progress.segments.length - 1,
    flowId: definition.id,
    flowVersion: definition.version,
    stepId,
    ...stepShape(definition, stepId),
    prompts: hub ? NONE : idsOf(promptsFor(stepMeta(definition, stepId), progress.snapshot.context as Record<string, unknown>)),
    offers,
    enteredAt: event.at,
    durationMs: null,
    action: null,
    wait: progress.effects.some((e) => e.kind === 'operation'),
  };
  if (offers.length) entry.segmentFlows = progress.segments.map((s) => s.flowId);
  return entry;
}

/** The ended (or current) call's trace, as the end-of-call outbox row stores it. */
export function callTrace(progress: CallProgress): CallTrace {
  const { record } = progress;
  return {
    callId: record.id,
    agentId: record.agentId,
    callerNumber: record.callerNumber,
    startedAt: record.startedAt,
    customer: progress.trace.customer,
    status: record.status,
    outcome: record.outcome,
    mode: progress.mode,
    entries: traceEntries(progress.trace),
    businesses: progress.segments.map(({ flowId, version, outcome }) => ({ flowId, version, outcome })),
    ...(progress.training ? { training: progress.training } : {}),
    ...(progress.callback ? { callback: { workItemId: progress.callback.workItemId } } : {}),
  };
}
