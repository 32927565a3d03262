import type { CallStatus } from './call.entity';
import type { CallEventType } from './call-event.entity';

/** An event as the step function produces it: one external input applied to a call. */
export interface LoggedEvent {
  callId: string;
  seq: number;
  type: CallEventType;
  payload: Record<string, unknown>;
  agentId: string;
  flowId: string;
  flowVersion: number;
  stateBefore: string | null;
  /** The business (flow and version) the call is in after the event: differs from flowId across a jump. */
  flowIdAfter: string | null;
  flowVersionAfter: number | null;
  stateAfter: string;
  at: string;
}

/**
 * An event as the log stores it: chained to the call's previous event, so an edit of any stored
 * event breaks the chain there (src/decision-log/hash-chain.ts, docs/PROTOCOL.md §7).
 */
export interface ChainLink {
  /** The hash of the call's previous event; 64 zeros (GENESIS) for its first. */
  prevHash: string;
  /** sha256 hex of prevHash + canonical(the event without prevHash/hash). */
  hash: string;
}

export type StoredEvent = LoggedEvent & ChainLink;

export interface CallRecord {
  id: string;
  flowId: string;
  flowVersion: number;
  agentId: string;
  callerNumber: string;
  status: CallStatus;
  outcome: string | null;
  outcomeDetail: Record<string, unknown> | null;
  state: string;
  /** The business the call is in now; flowId/flowVersion name the one it started with. */
  currentFlowId: string | null;
  currentFlowVersion: number | null;
  seq: number;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/**
 * The durable, append-only record of every call. `append` resolves only once the event and the
 * call's new summary are committed, so nothing is shown to an agent that the log could lose.
 * The adapter chains each event to the call's previous one at append time (prevHash, hash).
 * SQLite is the embedded adapter; others implement this same contract on the same entities.
 */
export abstract class DecisionLog {
  abstract append(event: LoggedEvent, call: CallRecord): Promise<void>;
  abstract findCall(callId: string): Promise<CallRecord | null>;
  abstract events(callId: string): Promise<StoredEvent[]>;
  abstract activeCalls(): Promise<CallRecord[]>;
}
