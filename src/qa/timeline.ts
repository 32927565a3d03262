import type { CallView } from '../../protocol/call-view';
import type { FlowKind } from '../../protocol/flow-definition';
import type { Timeline, TimelineAction, TimelineEntry } from '../../protocol/qa';
import { type OperationEffect, effectOfOperation } from '../flows/registry/operation-effects';
import { type CallProgress, reapply, renderView, replayCall, stepIdOf, stepMeta } from '../calls';
import type { CallRecord, LoggedEvent, StoredEvent } from '../decision-log/decision-log';
import { toArray } from '../flows/flow-json';
import type { FlowDefinition, Locale, LocalizedText } from '../flows/flow-definition';
import type { FlowResolver } from '../flows/flow-resolver';

/** The timeline is what the replay viewer shows (`GET /api/qa/calls/:id/replay`): its types are in protocol/qa.d.ts. */
export type { FlowKind, Timeline, TimelineAction, TimelineEntry };

/**
 * Re-executes a call from its log with the same pure step and view functions the live engine
 * used, so QA sees each view exactly as the agent did. `flows` must resolve the versions the call
 * recorded (never today's); the back end is never asked — its replies come from the log. The
 * businesses offered in the hub's flowId choice are not logged; pass them if the view should list them.
 */
export function buildTimeline(
  flows: FlowResolver,
  call: CallRecord,
  events: readonly StoredEvent[],
  locale: Locale,
  titles?: (flowId: string) => LocalizedText | null,
  businesses: FlowDefinition[] = [],
): Timeline {
  const titleOf = titles ?? ((flowId: string) => flows.at(flowId, call.startedAt)?.definition.title ?? null);
  const replay = replayCall(flows, call, events);
  const divergence = replay.divergences[0] ?? null;
  // Views from the diverging event on are not what the agent saw, so they are not rebuilt.
  const cut = divergence ? events.findIndex((e) => e.seq >= divergence.seq) : events.length;
  const shown = events.slice(0, Math.max(cut, 0));

  const progresses: CallProgress[] = [];
  for (const [i, logged] of shown.entries()) {
    const prev = progresses[i - 1];
    progresses.push(reapply(flows, call, logged, i === 0 ? undefined : prev).progress);
  }

  const entries = progresses.map((progress, i) => {
    const next = events[i + 1] as LoggedEvent | undefined;
    const leftStep = next ? (progresses[i + 1] ? progresses[i + 1].enteredSeq !== progress.enteredSeq : movedInLog(next)) : false;
    return entry(i, progress, shown[i], next ? actionOf(next, leftStep) : null, renderView(progress, locale, flows, businesses, titleOf));
  });

  const last = progresses.at(-1);
  const sum = (pick: (e: TimelineEntry) => boolean) => entries.filter(pick).reduce((t, e) => t + (e.durationMs ?? 0), 0);
  return {
    callId: call.id,
    status: call.status,
    outcome: call.outcome,
    mode: progresses[0]?.mode ?? null,
    entries,
    deterministic: replay.deterministic,
    divergence,
    totals: {
      durationMs: sum(() => true),
      waitMs: sum((e) => e.wait),
      agentMs: sum((e) => !e.wait),
      steps: entries.length,
      businesses: (last?.segments ?? []).map(({ flowId, version, outcome }) => ({ flowId, version, outcome })),
    },
  };
}

/** Only for the event right after a divergence, where no replayed state exists: trust the log. */
const movedInLog = (e: LoggedEvent) => e.stateAfter !== e.stateBefore || (e.flowIdAfter !== null && e.flowIdAfter !== e.flowId);

function entry(index: number, progress: CallProgress, logged: LoggedEvent, action: TimelineAction | null, view: CallView): TimelineEntry {
  const { definition } = progress.flow;
  const stepId = stepIdOf(progress.snapshot);
  const meta = stepMeta(definition, stepId);
  const node = definition.machine.states[stepId];
  const offerInputs = new Set((meta.inputs ?? []).filter((i) => i.type === 'offer').map((i) => i.name));
  const leftAt = action?.at ?? null;
  return {
    index,
    seq: logged.seq,
    enteredSeq: progress.enteredSeq,
    segment: progress.segments.length - 1,
    flowId: definition.id,
    flowVersion: definition.version,
    flowKind: definition.kind ?? 'business',
    variant: progress.flow.variant ?? null,
    stepId,
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
    view,
    enteredAt: logged.at,
    leftAt,
    durationMs: leftAt === null ? null : Date.parse(leftAt) - Date.parse(logged.at),
    action,
    wait: progress.effects.some((e) => e.kind === 'operation'),
  };
}

function actionOf(e: LoggedEvent, leftStep: boolean): TimelineAction {
  const p = e.payload;
  const action: TimelineAction = { type: e.type as TimelineAction['type'], seq: e.seq, at: e.at, leftStep };
  if (e.type === 'decision') {
    action.option = String(p.option);
    if (p.input !== undefined) action.input = p.input as Record<string, unknown>;
    if (Array.isArray(p.confirmedPrompts)) action.confirmedPrompts = p.confirmedPrompts.map(String);
  }
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
