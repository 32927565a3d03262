import type { CallRecord, LoggedEvent, StoredEvent } from '../../protocol/calls';

/** The log's events and call rows are what `GET /api/calls/:id` shows: their types are in protocol/calls.d.ts. */
export type { CallRecord, LoggedEvent, StoredEvent } from '../../protocol/calls';

/** A call and its events in order: what recovery folds back into a live call. */
export interface CallLog {
  call: CallRecord;
  events: StoredEvent[];
}

/** A call whose hash chain is broken at `seq` (found while its log was read). */
export interface BrokenChain {
  callId: string;
  seq: number;
  reason: string;
}

/**
 * Part of the active calls' logs, oldest calls first. `brokenChains` is given when the chains of
 * these calls were already checked where they were read (else the reader checks them itself).
 */
export interface CallLogChunk {
  logs: CallLog[];
  brokenChains?: BrokenChain[];
}

/**
 * The durable, append-only record of every call. `append` resolves only once the event and the
 * call's new summary are committed, so nothing is shown to an agent that the log could lose.
 * The adapter chains each event to the call's previous one at append time (prevHash, hash).
 * SQLite is the embedded adapter; others implement this same contract on the same entities.
 */
export abstract class DecisionLog {
  /**
   * `endOfCall` is given with a call's last event: the call's end-of-call outbox row (its compact
   * trace, stored as JSON) is committed in the same transaction as the event.
   */
  abstract append(event: LoggedEvent, call: CallRecord, endOfCall?: unknown): Promise<void>;
  abstract findCall(callId: string): Promise<CallRecord | null>;
  abstract events(callId: string): Promise<StoredEvent[]>;
  /** Every active call with its whole log (crash recovery): a bounded number of statements, not one per call. */
  abstract activeCallLogs(): Promise<CallLog[]>;
  /**
   * The same, in parts as they are read, so that recovery rebuilds one part while the next is read.
   * By default one part; the SQLite log reads (decrypts, checks the chains) on another thread.
   */
  async *activeCallLogChunks(): AsyncGenerator<CallLogChunk> {
    yield { logs: await this.activeCallLogs() };
  }
  /** The given calls with their whole logs (calls taken over from another node). */
  abstract callLogs(callIds: readonly string[]): Promise<CallLog[]>;
  /** When the call's payload key was destroyed (retention or an erasure: its steps no longer read), or null. */
  abstract erasedAt(callId: string): Promise<string | null>;
}
