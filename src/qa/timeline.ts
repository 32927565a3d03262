import type { CallView } from '../../protocol/call-view';
import type { FlowKind } from '../../protocol/flow-definition';
import type { Timeline, TimelineAction, TimelineEntry } from '../../protocol/qa';
import { actionOf, type CallProgress, type CallTrace, reapply, renderView, replayCall, stepIdOf, stepShape } from '../calls';
import type { CallRecord, LoggedEvent, StoredEvent } from '../decision-log/decision-log';
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
  const leftAt = action?.at ?? null;
  return {
    index,
    seq: logged.seq,
    enteredSeq: progress.enteredSeq,
    segment: progress.segments.length - 1,
    flowId: definition.id,
    flowVersion: definition.version,
    variant: progress.flow.variant ?? null,
    stepId,
    ...stepShape(definition, stepId),
    view,
    enteredAt: logged.at,
    leftAt,
    durationMs: leftAt === null ? null : Date.parse(leftAt) - Date.parse(logged.at),
    action,
    wait: progress.effects.some((e) => e.kind === 'operation'),
  };
}

/**
 * A timeline reduced to the trace QA checks and metrics facts read: what the replay viewer checks
 * is exactly what the end-of-call worker checked from the trace the call carried as it ran.
 */
export function traceOfTimeline(timeline: Timeline): Pick<CallTrace, 'status' | 'outcome' | 'mode' | 'entries' | 'businesses'> {
  return {
    status: timeline.status,
    outcome: timeline.outcome,
    mode: timeline.mode,
    businesses: timeline.totals.businesses,
    entries: timeline.entries.map((e) => {
      const offers = e.view.step.offers?.map((o) => o.id) ?? [];
      return {
        seq: e.seq,
        enteredSeq: e.enteredSeq,
        segment: e.segment,
        flowId: e.flowId,
        flowVersion: e.flowVersion,
        stepId: e.stepId,
        flowKind: e.flowKind,
        lane: e.lane,
        marks: e.marks,
        final: e.final,
        effects: e.effects,
        offerOptions: e.offerOptions,
        prompts: e.view.step.prompts.map((p) => p.id),
        offers,
        ...(offers.length ? { segmentFlows: e.view.businesses.filter((b) => b.status !== 'queued').map((b) => b.flowId) } : {}),
        enteredAt: e.enteredAt,
        durationMs: e.durationMs,
        action: e.action,
        wait: e.wait,
      };
    }),
  };
}
