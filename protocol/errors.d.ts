import type { Finding, LoadProblem, VersionStatus } from './authoring';
import type { CallStatus } from './calls';
import type { WorkItemStatus } from './work-items';

/** Every error code the server sends, over HTTP and in `call.error` (docs/PROTOCOL.md §5). */
export type ErrorCode =
  | 'BAD_JSON'
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_EVENT'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'STALE_SEQ'
  | 'CALL_MOVED'
  | 'CALL_TOO_LONG'
  | 'CALL_ERASED'
  | 'TOO_MANY_CALLS'
  | 'OPTION_NOT_AVAILABLE'
  | 'INVALID_STATE'
  | 'CHECKS_FAILED'
  | 'VERSION_DOES_NOT_LOAD'
  | 'FLOW_UNAVAILABLE'
  | 'TOO_MANY_ATTEMPTS'
  | 'LOG_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'EVENT_REPLAYED'
  | 'AGENT_NOT_CONNECTED'
  | 'INTERNAL';

/** One field that failed validation, with every problem found in it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/** The `details` each code may carry; a code not listed here never has any. */
export interface ErrorDetails {
  VALIDATION_FAILED: FieldProblem[];
  /** A call: the seq it is at. A scorecard: the revision it is at. */
  STALE_SEQ: { currentSeq: number } | { revision: number };
  /** Several nodes: the call is now driven by another node (its lease moved); nothing was applied — attach again. */
  CALL_MOVED: { callId: string };
  /** The call has `limit` logged events (MAX_CALL_EVENTS): only hanging up remains. */
  CALL_TOO_LONG: { limit: number };
  /** The call's payload key was destroyed (retention or an erasure) at `erasedAt`: its steps can no longer be read. */
  CALL_ERASED: { callId: string; erasedAt: string };
  /** The agent already has `limit` calls in progress (MAX_LIVE_CALLS_PER_AGENT): end one first. */
  TOO_MANY_CALLS: { limit: number };
  OPTION_NOT_AVAILABLE: { available: string[] };
  /** An authoring version's status, the status of the call a scorecard was refused for, or a work item's. */
  INVALID_STATE: { status: VersionStatus | CallStatus | WorkItemStatus };
  CHECKS_FAILED: Finding[];
  /** The version whose stored definition does not load, and why: its first 20 problems of `problemCount`. */
  VERSION_DOES_NOT_LOAD: { flowId: string; version: number; problems: LoadProblem[]; problemCount: number };
  /** The version a call needs does not load on this server; `callId` when a call in progress ran on it. */
  FLOW_UNAVAILABLE: { flowId: string; version: number; callId?: string };
  TOO_MANY_ATTEMPTS: { retryAfterSeconds: number };
  /** The SQLite result code, e.g. `SQLITE_FULL`. */
  LOG_UNAVAILABLE: { reason: string };
  PAYLOAD_TOO_LARGE: { limit?: number };
  /** The path exists with these methods only (also in the `Allow` header). */
  METHOD_NOT_ALLOWED: { allow: string[] };
}

/** The details a code may carry (`never`: none). */
export type ErrorDetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails ? ErrorDetails[C] : never;

/** The error body of every HTTP error, and the data of `call.error` without its requestId. */
export type ErrorBody<C extends ErrorCode = ErrorCode> = {
  [K in C]: { code: K; message: string; details?: ErrorDetailsOf<K> };
}[C];

/** `call.error`: `requestId` is the message's, or null when the frame could not be read or carried none. */
export type CallError = ErrorBody & { requestId: string | null };
