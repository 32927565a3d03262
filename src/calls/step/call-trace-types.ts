import type { FlowKind, Lane, Mark, OperationEffect } from '../../../protocol/flow-definition';
import type { TimelineAction } from '../../../protocol/qa';

/** What a step is, whatever the call: worked out once per flow version and step. */
export interface StepShape {
  flowKind: FlowKind;
  lane: Lane;
  marks: Mark[];
  final: boolean;
  /** What the step's back-end operations do (check, query, change…), for QA selectors. */
  effects: OperationEffect[];
  /** Option ids that accept an offer (`requiresOffers` or an `offer` input). */
  offerOptions: string[];
}

/** One view the agent was shown (one per logged event), reduced to what end-of-call work reads. */
export interface TraceEntry extends StepShape {
  seq: number;
  enteredSeq: number;
  segment: number;
  flowId: string;
  flowVersion: number;
  stepId: string;
  /** Care prompts shown (ids). */
  prompts: string[];
  /** Offers shown (ids). */
  offers: string[];
  /** The businesses the call had been through or was in (not queued ones), only where offers were shown. */
  segmentFlows?: string[];
  enteredAt: string;
  durationMs: number | null;
  action: TimelineAction | null;
  /** A back-end operation was pending here. */
  wait: boolean;
}

/**
 * A view the call moved on from, as the progress carries it: the entry made when the view was shown
 * (never changed) and what closed it, kept apart so closing a view copies nothing.
 */
export interface ClosedView {
  entry: TraceEntry;
  action: TimelineAction;
  durationMs: number;
  /** The view closed before this one (null for the first): a list each event extends and none copies. */
  before: ClosedView | null;
}

/**
 * The trace as the progress carries it. Every event makes a new one that shares all the earlier views
 * with the one before, so a decision keeps only the bytes of its own view (a call's state outlives the
 * young generation: what each decision adds is what the main thread promotes); `callTrace` lays the
 * views out in order once, when the call ends.
 */
export interface TraceSoFar {
  /** The customer logged in `call.started` (the dimensions of the call's metrics). */
  customer: Record<string, unknown>;
  /** The view shown now: no action yet (null before the first event is settled). */
  open: TraceEntry | null;
  /** The views the call has moved on from, newest first. */
  closed: ClosedView | null;
}

/** An ended call's trace: the end-of-call outbox row's payload. */
export interface CallTrace {
  callId: string;
  agentId: string;
  callerNumber: string;
  startedAt: string;
  customer: Record<string, unknown>;
  status: 'active' | 'completed' | 'abandoned';
  outcome: string | null;
  mode: 'hotline' | 'direct' | null;
  entries: readonly TraceEntry[];
  businesses: { flowId: string; version: number; outcome: string | null }[];
  /** Set only when the trace was rebuilt from a log that does not re-execute (calls ended before the outbox existed). */
  notReplayable?: string;
  /** A training call (its scenario id): the end-of-call work stores no metrics, QA results or work items for it. */
  training?: string;
  /** An outbound callback: the work item it makes; the end-of-call work resolves it (src/work-items). */
  callback?: { workItemId: number };
}
