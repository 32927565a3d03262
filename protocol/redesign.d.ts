/**
 * Step flags and the redesign backlog (issue 21 item 4, docs/REDESIGN.md): agents flag a step
 * from the call screen, QA from the replay; flags, failures and waits are ranked per business.
 */
import type { QuadrantPoint } from './evaluation';

export type FlagReason = 'script-unclear' | 'wrong-order' | 'missing-option' | 'too-slow' | 'not-needed' | 'other';
export type FlagSource = 'agent' | 'qa';

/** `POST /api/calls/:callId/flags` (the agent of a live call, the step on screen) and `POST /api/qa/calls/:callId/flags` (QA, a step of the replay). */
export interface StepFlagRequest {
  reason: FlagReason;
  /** Why, in the flagger's words (≤ 500 characters; may be empty). */
  text: string;
  /** QA only: the view (seq) of the replay the flag is about. */
  seq?: number;
}

export interface StepFlag {
  id: number;
  source: FlagSource;
  flowId: string;
  version: number;
  stepId: string;
  reason: FlagReason;
  text: string;
  callId: string | null;
  /** agent: the seq of the logged `step.flag` event; qa: the view flagged. */
  seq: number | null;
  actor: string;
  at: string;
}

/** What one version of a step shows: visits, and the evidence against it. */
export interface StepEvidence {
  version: number;
  visits: number;
  flags: number;
  failures: number;
  /** Time callers spent waiting on the back end at the step, in total. */
  waitMs: number;
  /** flags × 3 + failures + whole 10 s of waiting (floor(waitMs / 10 000)). */
  score: number;
  /** score / visits, 4 decimals (null without visits). */
  rate: number | null;
}

export type BacklogStatus = 'open' | 'awaiting-data' | 'closed';

export interface BacklogEntry {
  rank: number;
  flowId: string;
  stepId: string;
  status: BacklogStatus;
  /** The newest version with evidence against the step: what the entry asks to change. */
  version: number;
  evidence: StepEvidence;
  /** A newer published version: its figures for the step (null while none is published). */
  newer: StepEvidence | null;
  reasons: { reason: FlagReason; count: number }[];
}

/**
 * Where the business stands in the evaluation model's importance × satisfaction quadrant (whole
 * history), and its rank among the businesses with calls: fix-first, then watch, keep-up, surplus,
 * then those without a satisfaction figure; within each the more important first (docs/REDESIGN.md).
 */
export interface BacklogPriority {
  point: QuadrantPoint;
  rank: number;
  of: number;
}

export interface Backlog {
  flowId: string;
  /** null while the business has had no call. */
  priority: BacklogPriority | null;
  entries: BacklogEntry[];
}
