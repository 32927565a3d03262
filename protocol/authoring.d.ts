import type { CallView } from './call-view';
import type { LoggedEvent } from './calls';
import type { Locale, LocalizedText } from './flow-definition';

/** Flow authoring under `/api/authoring` (docs/AUTHORING.md): versions, checks, diff, dry runs, audit. */

export type VersionStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'retired';

export interface VersionSummary {
  flowId: string;
  version: number;
  status: VersionStatus;
  /** True for the version new calls get now. */
  inForce: boolean;
  /** It was in force at some time (so it can be published again: a rollback). */
  everPublished: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string | null;
  basedOn: number | null;
  /** Where it came from: a file in FLOWS_DIR or authoring. */
  source: string;
  /** False when its stored definition does not load (a half-done draft, one an older release wrote): docs/AUTHORING.md §7. */
  loads: boolean;
}

/** Why a stored definition does not load: where in it, and what. */
export interface LoadProblem {
  /** JSON path into the definition, e.g. `$.machine`. */
  path: string;
  message: string;
}

/** One reason a draft flow version cannot be submitted for publishing. */
export interface Finding {
  /** Which check found it: `loader`, `reachability`, `policy` or `promises` (a script announcing an act its path never did). */
  check: string;
  /** Only blocking findings exist for now; the field lets warnings be added without changing readers. */
  severity: 'error';
  /** JSON path into the flow file, e.g. `$.machine.states.warn` or `$.machine.states['checking-password']`. */
  path: string;
  /** The checker's words, in English (for logs and tools); screens show `reason` in their own language. */
  message: string;
  /** What is wrong, typed (reachability and policy findings; absent for the loader's schema messages). */
  reason?: FindingReason;
  /** The policy id, for `check: 'policy'`. */
  policy?: string;
  /** For path policies: state ids from the initial state to the offending state. */
  offendingPath?: string[];
}

/** Why a step fails a check: `step` is the state id the finding is about. */
export interface FindingReason {
  code: 'unreachable' | 'no-way-out' | 'no-ending' | 'skips-required-steps' | 'no-way-out-option' | 'no-decline-option' | 'unkept-promise';
  step: string;
}

/** `GET /api/authoring/flows/:flowId/versions/:version` and the reply of every change. */
export interface VersionDetail extends VersionSummary {
  /** As stored: a draft's may be any JSON object (null only if the database holds no JSON object). */
  definition: DefinitionDraft | null;
  findings: Finding[];
  /** Why it does not load (the first 20); empty when it does. */
  loadProblems: LoadProblem[];
}

/** `GET /api/authoring/flows`: every flow with its versions. */
export interface FlowVersions {
  id: string;
  title: LocalizedText;
  kind: string;
  /** The version in force, if any. */
  inForce: number | null;
  versions: VersionSummary[];
}

/**
 * A definition as a client sends it: any JSON object (docs/FLOWS.md). It is saved even when it
 * fails the checks, which the reply's findings list.
 */
export type DefinitionDraft = Record<string, unknown>;

/** `POST /api/authoring/flows/:flowId/versions`: a copy of `basedOn` (default: the version in force), or the given definition. */
export interface CreateDraftRequest {
  basedOn?: number;
  definition?: DefinitionDraft;
}

/** `PUT /api/authoring/flows/:flowId/versions/:version` and `POST /api/authoring/check`. */
export interface DefinitionRequest {
  definition: DefinitionDraft;
}

/** `POST /api/authoring/check` reply. */
export interface CheckReply {
  findings: Finding[];
}

/** The workflow acts, `POST …/versions/:version/<action>`. */
export type WorkflowAction = 'submit' | 'approve' | 'reject' | 'publish' | 'retire';

/** Body of approve (comment optional) and reject (comment required). */
export interface WorkflowRequest {
  comment?: string;
}

/** What a change is about, in the supervisor's terms (not JSON paths). */
export type ChangeKind =
  | 'step-added'
  | 'step-removed'
  | 'step-moved'
  | 'lane-changed'
  | 'marks-changed'
  | 'text-changed'
  | 'option-added'
  | 'option-removed'
  | 'option-changed'
  | 'offers-changed'
  | 'rules-changed'
  | 'outcome-changed'
  | 'operation-changed'
  | 'behaviour-changed'
  | 'flow-text-changed'
  | 'variant-added'
  | 'variant-removed'
  | 'variant-changed';

export interface Change {
  kind: ChangeKind;
  /** The step (state id) concerned; absent for flow-level changes. */
  stepId?: string;
  /** Set when only one language of a text changed. */
  locale?: Locale;
  /** What changed inside the step, e.g. `script`, `prompt:effective-immediately`, `option:continue.label`, `offersFrom`. */
  field?: string;
  /** Regional variant concerned (variant-* kinds). */
  region?: string;
  before?: unknown;
  after?: unknown;
  /** One line for a supervisor, in both languages. */
  text: LocalizedText;
}

/** `GET /api/authoring/flows/:flowId/diff?from&to`. */
export interface FlowDiff {
  from: { id: string; version: number };
  to: { id: string; version: number };
  changes: Change[];
  /** Counts: steps added, removed, moved; `changed` = every other change. */
  summary: { added: number; removed: number; moved: number; changed: number };
}

export type AuditAction = 'create' | 'edit' | 'submit' | 'approve' | 'reject' | 'publish' | 'rollback' | 'retire';

/** `GET /api/authoring/audit?flowId&version`, oldest first. */
export interface AuditEntry {
  id: number;
  flowId: string;
  version: number | null;
  action: AuditAction;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface FlowPath {
  key: string;
  kind: 'simple' | 'loop';
  outcome: string;
  /** Agent operations (decisions) on the path: the field target for hot businesses is ≤ 3. */
  agentSteps: number;
  steps: { state: string; via: string }[];
  /** Demo customers whose profile lets the machine take it. */
  customers: string[];
}

/** `GET /api/authoring/flows/:flowId/versions/:version/paths`. */
export interface VersionPaths {
  paths: FlowPath[];
  shortestSuccess: number | null;
}

/** `POST …/versions/:version/dry-runs` body. */
export interface StartDryRunRequest {
  /** A simulator customer's number. */
  msisdn: string;
  locale?: Locale;
}

/** `POST /api/authoring/dry-runs/:id/decisions` body. */
export interface DryRunDecisionRequest {
  /** The seq of the view this decision answers. */
  seq: number;
  option: string;
  input?: Record<string, unknown>;
  confirmedPrompts?: string[];
  locale?: Locale;
}

/** A dry run's state after each step: nothing of it reaches the decision log. */
export interface DryRunState {
  dryRunId: string;
  flowId: string;
  version: number;
  view: CallView;
  /** What the run has done so far, as the log would hold it (never written to the decision log). */
  events: LoggedEvent[];
}
