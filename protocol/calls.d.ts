/**
 * The decision log as `GET /api/calls/:id` and `POST /api/calls/:id/replay` show it
 * (docs/PROTOCOL.md §7 and §9). The log stores exactly these (src/decision-log).
 */

/** `completed`: a final state was reached; `abandoned`: hung up. */
export type CallStatus = 'active' | 'completed' | 'abandoned';

/** `step.flag`: the agent flagged the step on screen as not fitting (docs/REDESIGN.md); the call stays where it is. */
/** `quick.answer`: the agent told the caller a scenario answer (docs/KNOWLEDGE.md), with the back-end reply it came from. */
export type CallEventType = 'call.started' | 'decision' | 'backend.reply' | 'timeout' | 'call.hangup' | 'step.flag' | 'quick.answer';

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

/** A call's summary row. */
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

/** `GET /api/calls/:id`: the summary row and every event, by seq. */
export type CallWithEvents = CallRecord & { events: StoredEvent[] };

/** A place where replaying the log gives something other than what the log holds. */
export interface Divergence {
  seq: number;
  /** `seq`, `type`, `stateBefore`, `stateAfter`, `flow`, `flowAfter`, `event`, `call.status`, … (docs/PROTOCOL.md §9). */
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface ChainBreak {
  /** The first event whose link does not hold: its content was altered, or the event before it was removed or altered. */
  seq: number;
  reason: string;
}

export interface ChainVerdict {
  intact: boolean;
  brokenAt: ChainBreak | null;
}

/** `POST /api/calls/:id/replay`: the call folded again through its own flow versions, compared with the log. */
export interface ReplayVerdict {
  callId: string;
  deterministic: boolean;
  eventsReplayed: number;
  divergences: Divergence[];
  /** The log's hash chain: intact, or the first event where it breaks. Independent of `deterministic`. */
  chain: ChainVerdict;
}

/** What the log keeps of a `digits` input (ID digits are verification secrets, never written down): replays show this in their place. */
export type NotKeptMarker = '[not kept]';
