import type { CallStatus } from './call.entity';
import type { CallEventType } from './call-event.entity';

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
 * SQLite is the embedded adapter; others implement this same contract on the same entities.
 */
export abstract class DecisionLog {
  abstract append(event: LoggedEvent, call: CallRecord): Promise<void>;
  abstract findCall(callId: string): Promise<CallRecord | null>;
  abstract events(callId: string): Promise<LoggedEvent[]>;
  abstract activeCalls(): Promise<CallRecord[]>;
}
