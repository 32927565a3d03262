import type { CallView } from './call-view';
import type { CallRecord, CallStatus, Divergence, ReplayVerdict } from './calls';
import type { FlowKind, Lane, LocalizedText, Mark, OperationEffect } from './flow-definition';

/** QA over HTTP under `/api/qa` (docs/QA.md): finding calls, replaying them with their checks, scorecards. */

/** `GET /api/qa/calls` query: every filter optional, combined with AND. */
export interface CallSearchParams {
  /** Agent username. */
  agent?: string;
  /** A business anywhere in the call, not only the first. */
  flowId?: string;
  version?: number;
  outcome?: string;
  status?: CallStatus;
  /** Started at or after / before (ISO 8601). */
  from?: string;
  to?: string;
  msisdn?: string;
  /** An applicable automatic check the call failed. */
  failedCheck?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** 1…, default 1; pages past the first 10,000 matches are empty. */
  page?: number;
  /** 1…500, default 50. */
  pageSize?: number;
  /** `csv`: the same rows as CSV (with `x-total-count`). */
  format?: 'json' | 'csv';
}

export interface FoundCall {
  id: string;
  agent: string;
  callerNumber: string;
  flowId: string;
  flowVersion: number;
  /** `flowId@version` of every business the call went through, in order. */
  businesses: string[];
  status: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  failedChecks: string[];
}

/**
 * `GET /api/qa/calls` reply, newest first. A search is counted, and paged, up to its first 10,000
 * matches (a count over a year of calls took seconds on the server's read thread): past them `total`
 * stays 10,000, `totalCapped` is true, and pages beyond are empty — narrow the search (dates, agent,
 * business) to reach older calls.
 */
export interface CallPage {
  /** Matches, counted up to 10,000. */
  total: number;
  /** More than `total` calls match. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
  calls: FoundCall[];
}

/** What moved the call on from a view: the next logged event. */
export interface TimelineAction {
  type: 'decision' | 'backend.reply' | 'timeout' | 'call.hangup' | 'step.flag' | 'quick.answer';
  seq: number;
  at: string;
  option?: string;
  input?: Record<string, unknown>;
  /** As logged: the server records what the client sent, it does not require completeness. */
  confirmedPrompts?: string[];
  reply?: { operation: string; ok: boolean; output?: unknown; error?: unknown; latencyMs?: number };
  /** step.flag: the agent's reason and words. */
  flag?: { reason: string; text: string };
  /** quick.answer: the scenario answer told, and the back-end query it was read from (docs/KNOWLEDGE.md). */
  quickAnswer?: { answerId: string; query: string };
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
  effects: OperationEffect[];
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

/** A call re-executed from its log with the same step and view functions the live engine used. */
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

export interface CallFinding {
  /** The logged event at fault: the decision that skipped something, or the event whose view showed what it should not. */
  seq: number;
  stepId: string;
  message: string;
}

/** One automatic compliance check on one call (flows/qa/call-checks.json). */
export interface CallCheckResult {
  id: string;
  title: LocalizedText;
  /** True also when not applicable: nothing is wrong with a call the check has nothing to say about. */
  passed: boolean;
  /** Whether the call reached anything the check is about. */
  applicable: boolean;
  findings: CallFinding[];
}

/** `GET /api/qa/calls/:id/replay?locale=`: the call, the replay verdict, the timeline and the checks. */
export interface QaReplay {
  call: CallRecord;
  verification: ReplayVerdict;
  timeline: Timeline;
  checks: CallCheckResult[];
}

export interface Criterion {
  id: string;
  title: LocalizedText;
  guide?: LocalizedText;
  /** Share of the total score. */
  weight: number;
  /** Marks run 0 … max. */
  max: number;
  /** Scored from these automatic checks (share of applicable checks passed); a reviewer may override with a reason. */
  auto?: string[];
}

/** `GET /api/qa/scorecard-form` (flows/qa/scorecard.json). */
export interface ScorecardForm {
  version: number;
  criteria: Criterion[];
}

/** The reviewer's marks per criterion id. */
export type Marks = Record<string, { score?: number; comment?: string }>;

export interface CheckOutcome {
  id: string;
  passed: boolean;
  applicable: boolean;
}

export interface ScoredCriterion {
  id: string;
  score: number;
  max: number;
  weight: number;
  /** reviewer: marked by the reviewer; auto: from the automatic checks; override: a reviewer changed the automatic score. */
  source: 'reviewer' | 'auto' | 'override';
  comment: string | null;
  /** Auto criteria: the checks it was scored from. */
  checks?: CheckOutcome[];
}

export interface Score {
  criteria: ScoredCriterion[];
  /** 0 … 100, weighted. */
  total: number;
}

export interface Scorecard {
  id: string;
  callId: string;
  agentId: string;
  reviewer: string;
  formVersion: number;
  marks: Marks;
  score: Score;
  total: number;
  comment: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/qa/scorecards/:id/revisions`: every saved revision, as saved. */
export interface ScorecardRevision {
  scorecardId: string;
  revision: number;
  reviewer: string;
  at: string;
  content: Scorecard;
}

/** `POST /api/qa/calls/:id/scorecards` body. */
export interface ScorecardRequest {
  marks: Marks;
  comment?: string;
}

/** `PUT /api/qa/scorecards/:id` body: `revision` is the one being edited (a newer one refuses the save: STALE_SEQ). */
export interface ScorecardRevisionRequest extends ScorecardRequest {
  revision: number;
}
