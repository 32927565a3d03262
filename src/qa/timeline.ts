import { type Effect, effectOfOperation } from '../authoring/checks/operation-effects';
import type { CustomerProfile } from '../backend/customer';
import { advance, beginCall, type CallInput, type CallProgress, type CallView, type Divergence, renderView, replayCall, stepIdOf, stepMeta } from '../calls';
import type { CallStatus } from '../decision-log/call.entity';
import type { CallRecord, LoggedEvent, StoredEvent } from '../decision-log/decision-log';
import { toArray } from '../flows/coverage/flow-analysis';
import type { FlowDefinition, Lane, Locale, LocalizedText, Mark } from '../flows/flow-definition';
import type { FlowResolver } from '../flows/flow-resolver';

export type FlowKind = 'business' | 'enter' | 'hang-up';

/** What moved the call on from a view: the next logged event. */
export interface TimelineAction {
  type: 'decision' | 'backend.reply' | 'timeout' | 'call.hangup';
  seq: number;
  at: string;
  option?: string;
  input?: Record<string, unknown>;
  /** As logged: the server records what the client sent, it does not require completeness. */
  confirmedPrompts?: string[];
  reply?: { operation: string; ok: boolean; output?: unknown; error?: unknown; latencyMs?: number };
  /** False when the call stayed in the step: add-need, a guard refusing the real input, a hang-up. */
  leftStep: boolean;
}

/**
 * One view the agent was shown (every logged event produces one). A step shown again without being
 * left (add-need, a refused guard, the hang-up's final view) is a new entry with the same `enteredSeq`.
 */
export interface TimelineEntry {
  index: number;
  /** The view's seq = the seq of the logged event that produced it. */
  seq: number;
  /** The seq of the view that entered this step (equals `seq` unless the step was shown again). */
  enteredSeq: number;
  /** Which business of the call (0-based index into its segments). */
  segment: number;
  flowId: string;
  flowVersion: number;
  flowKind: FlowKind;
  variant: string | null;
  stepId: string;
  lane: Lane;
  marks: Mark[];
  final: boolean;
  /** What the step's back-end operations do (check, query, change…), for QA selectors. */
  effects: Effect[];
  /** Option ids that accept an offer (`requiresOffers` or an `offer` input). */
  offerOptions: string[];
  view: CallView;
  enteredAt: string;
  leftAt: string | null;
  durationMs: number | null;
  action: TimelineAction | null;
  /** The call was waiting on the back end here (an operation was pending): customer waiting time. */
  wait: boolean;
}

export interface Timeline {
  callId: string;
  /** As logged in the call's summary row. */
  status: CallStatus;
  outcome: string | null;
  /** null only when not even the first event could be replayed. */
  mode: 'hotline' | 'direct' | null;
  entries: TimelineEntry[];
  deterministic: boolean;
  /** The first place replay differs from the log; the entries stop before the view it produced. */
  divergence: Divergence | null;
  totals: {
    durationMs: number;
    waitMs: number;
    agentMs: number;
    /** Views shown (entries). */
    steps: number;
    businesses: { flowId: string; version: number; outcome: string | null }[];
  };
}

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
    progresses.push(
      i === 0
        ? beginCall(flows.exact(call.flowId, call.flowVersion, (logged.payload.customer as CustomerProfile | undefined)?.region), {
            callId: call.id,
            agentId: logged.agentId,
            at: logged.at,
            callerNumber: String(logged.payload.callerNumber),
            customer: logged.payload.customer as CustomerProfile,
          }).progress
        : advance(prev, { type: logged.type, payload: logged.payload, at: logged.at } as CallInput, flows).progress,
    );
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
          .filter((e): e is Effect => e !== null),
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
