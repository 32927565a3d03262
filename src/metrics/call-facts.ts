// Not the calls module's index: the end-of-call worker thread loads this file, and neither Nest nor the engine.
import type { CallTrace, TraceEntry } from '../calls/step';
import { ADD_NEED, ANOTHER_BUSINESS, FINISH_CALL } from '../calls/step/call-level-options';
import type { Lane, Mark } from '../flows/flow-definition';

export const LANES: Lane[] = ['customer', 'frontstage', 'backstage', 'support'];
const CALL_LEVEL = new Set([ADD_NEED, ANOTHER_BUSINESS, FINISH_CALL]);

/** Who called and who answered: the filter dimensions of every fact. */
export interface CallDimensions {
  callId: string;
  callerNumber: string;
  agentId: string;
  region: string;
  brand: string;
  tier: string;
  startedAt: string;
  /** UTC day of the start, `YYYY-MM-DD`. */
  day: string;
}

export interface CallFact extends CallDimensions {
  status: string;
  outcome: string | null;
  /** The call's first business segment (kind `business`), else its first segment: the flow the call is counted under. */
  flowId: string;
  flowVersion: number;
  durationMs: number;
  waitMs: number;
  agentMs: number;
  laneMs: Record<Lane, number>;
  /** The need chosen at ask-need (null: the step was not answered with a need, e.g. a silent call). */
  need?: string | null;
  /** The words the agent typed with an "other" need (null for listed needs). */
  needNote?: string | null;
}

export interface SegmentFact {
  segment: number;
  flowId: string;
  flowVersion: number;
  kind: string;
  startedAt: string;
  /** The final state's outcome, or `abandoned` when the call was hung up inside this business. */
  outcome: string;
  /** Outcome reached and the final state is not F-marked. */
  success: boolean;
  durationMs: number;
  waitMs: number;
  agentMs: number;
  /** Agent decisions taken inside this business. */
  agentSteps: number;
  /** M points where offers were shown / answered / an offer accepted. */
  eligible: number;
  presented: number;
  accepted: number;
}

export interface StepVisitFact {
  segment: number;
  flowId: string;
  flowVersion: number;
  stepId: string;
  lane: Lane;
  marks: Mark[];
  durationMs: number;
  /** A back-end operation was pending (a W wait). */
  wait: boolean;
  /** Set on an F-marked step entered because something failed: the error code, `TIMEOUT` or `CHECK_FAILED:<operation>`. */
  failureCause: string | null;
  /** The step where an abandoned call stopped. */
  dropOff: boolean;
}

export interface OfferFact {
  /** The step visit (index into `steps`) where the offer was shown. */
  visit: number;
  segment: number;
  flowId: string;
  flowVersion: number;
  stepId: string;
  offerId: string;
  /** The agent answered the M point (accepted or declined through the step's own options). */
  presented: boolean;
  accepted: boolean;
}

export interface CallFacts {
  call: CallFact;
  segments: SegmentFact[];
  steps: StepVisitFact[];
  offers: OfferFact[];
}

/** The steps a segment of the call visited, in order: its step path (satisfaction rollups, campaigns). */
export function segmentVisits(steps: readonly StepVisitFact[], segment: number): StepVisitFact[] {
  return steps.filter((v) => v.segment === segment);
}

/** The customer profile logged in `call.started`. */
export function dimensionsOf(callId: string, agentId: string, startedAt: string, payload: Record<string, unknown>): CallDimensions {
  const customer = (payload.customer ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : 'unknown');
  return {
    callId,
    agentId,
    startedAt,
    day: startedAt.slice(0, 10),
    callerNumber: String(payload.callerNumber ?? ''),
    region: text(customer.region),
    brand: text(customer.brand),
    tier: text(customer.tier),
  };
}

/** What facts are made of: an ended call's trace (carried as it ran, or a timeline reduced to it). */
export type FactsSource = Pick<CallTrace, 'status' | 'outcome' | 'entries' | 'businesses'>;

/** Group trace entries into step visits: consecutive entries of one segment with the same `enteredSeq`. */
function visitsOf(entries: readonly TraceEntry[]): TraceEntry[][] {
  const visits: TraceEntry[][] = [];
  for (const e of entries) {
    const last = visits.at(-1);
    if (last && last[0].enteredSeq === e.enteredSeq && last[0].segment === e.segment) last.push(e);
    else visits.push([e]);
  }
  return visits;
}

function failureCause(before: TraceEntry | undefined): string | null {
  const action = before?.action;
  if (!action) return null;
  if (action.type === 'timeout') return 'TIMEOUT';
  if (action.type !== 'backend.reply' || !action.reply) return null;
  if (!action.reply.ok) {
    const code = (action.reply.error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && code ? code : 'ERROR';
  }
  const output = action.reply.output as { ok?: unknown } | undefined;
  return output && output.ok === false ? `CHECK_FAILED:${action.reply.operation}` : null;
}

/**
 * Where a call's need is recorded: the need-recognition step of the entry flow, answered with the
 * `need` input (and a free-text `needNote`). A need of `other` matched no business: need coverage
 * is the share of calls whose need was a listed one (docs/EVALUATION.md §2).
 */
export const NEED_STEP = { stepId: 'ask-need', input: 'need', note: 'needNote', other: 'other' } as const;

function needOf(entries: readonly TraceEntry[]): { need: string | null; needNote: string | null } {
  const answer = entries.find((e) => e.stepId === NEED_STEP.stepId && e.action?.type === 'decision' && typeof e.action.input?.[NEED_STEP.input] === 'string');
  const need = (answer?.action?.input?.[NEED_STEP.input] as string | undefined) ?? null;
  const note = answer?.action?.input?.[NEED_STEP.note];
  return { need, needNote: need === NEED_STEP.other && typeof note === 'string' && note.trim() ? note.trim().slice(0, 200) : null };
}

const sum = (xs: readonly TraceEntry[], pick: (e: TraceEntry) => boolean = () => true) => xs.filter(pick).reduce((t, e) => t + (e.durationMs ?? 0), 0);

/** The metric facts of one ended call, from its trace. */
export function extractFacts(dims: CallDimensions, timeline: FactsSource): CallFacts {
  const { entries } = timeline;
  const abandoned = timeline.status === 'abandoned';
  const visits = visitsOf(entries);
  const steps: StepVisitFact[] = [];
  const offers: OfferFact[] = [];
  const points = new Map<number, { eligible: number; presented: number; accepted: number }>();
  visits.forEach((visit, i) => {
    const first = visit[0];
    const leaving = visit.at(-1)!;
    const before = i > 0 ? visits[i - 1].at(-1) : undefined;
    const cause = first.marks.includes('F') ? failureCause(before) : null;
    steps.push({
      segment: first.segment,
      flowId: first.flowId,
      flowVersion: first.flowVersion,
      stepId: first.stepId,
      lane: first.lane,
      marks: first.marks,
      durationMs: sum(visit),
      wait: visit.some((e) => e.wait),
      failureCause: cause,
      dropOff: abandoned && i === visits.length - 1,
    });
    const shown = visit.find((e) => e.offers.length > 0);
    if (!shown) return;
    const action = visit.map((e) => e.action).find((a) => a?.leftStep || a?.type === 'call.hangup') ?? leaving.action;
    const presented = action?.type === 'decision' && !CALL_LEVEL.has(action.option ?? '');
    const acceptedId =
      presented && shown.offerOptions.includes(action!.option!)
        ? (Object.values(action!.input ?? {}).find((v) => shown.offers.includes(v as string)) ?? null)
        : null;
    const point = points.get(first.segment) ?? { eligible: 0, presented: 0, accepted: 0 };
    point.eligible++;
    if (presented) point.presented++;
    if (acceptedId) point.accepted++;
    points.set(first.segment, point);
    for (const offerId of shown.offers) {
      offers.push({
        visit: i,
        segment: first.segment,
        flowId: first.flowId,
        flowVersion: first.flowVersion,
        stepId: first.stepId,
        offerId,
        presented,
        accepted: offerId === acceptedId,
      });
    }
  });

  const bySegment = new Map<number, TraceEntry[]>();
  for (const e of entries) bySegment.set(e.segment, [...(bySegment.get(e.segment) ?? []), e]);
  const segments: SegmentFact[] = [...bySegment.entries()].map(([segment, es]) => {
    const last = es.at(-1)!;
    const ended = timeline.businesses[segment]?.outcome ?? null;
    const outcome = ended ?? 'abandoned';
    const point = points.get(segment) ?? { eligible: 0, presented: 0, accepted: 0 };
    return {
      segment,
      flowId: es[0].flowId,
      flowVersion: es[0].flowVersion,
      kind: es[0].flowKind,
      startedAt: es[0].enteredAt,
      outcome,
      // A business that ended converted moves the call into the offer's business in the same event, so
      // its ending step is never entered: the accepted offer is its success.
      success: ended !== null && (last.final ? !last.marks.includes('F') : ended === 'converted'),
      durationMs: sum(es),
      waitMs: sum(es, (e) => e.wait),
      agentMs: sum(es, (e) => !e.wait),
      agentSteps: es.filter((e) => e.action?.type === 'decision').length,
      ...point,
    };
  });

  const primary = segments.find((s) => s.kind === 'business') ?? segments[0];
  const laneMs = Object.fromEntries(LANES.map((lane) => [lane, sum(entries, (e) => e.lane === lane)])) as Record<Lane, number>;
  const call: CallFact = {
    ...dims,
    status: timeline.status,
    outcome: timeline.outcome,
    flowId: primary?.flowId ?? 'unknown',
    flowVersion: primary?.flowVersion ?? 0,
    durationMs: sum(entries),
    waitMs: sum(entries, (e) => e.wait),
    agentMs: sum(entries, (e) => !e.wait),
    laneMs,
    ...needOf(entries),
  };
  return { call, segments, steps, offers };
}
