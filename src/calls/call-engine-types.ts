/** What the engine (call-engine.service.ts) takes and reports. */

/** A back-end reply (or a timeout while waiting on one) applied at a step: the live floor's failure rates. */
export interface BackendOutcome {
  flowId: string;
  stepId: string;
  operation: string;
  ok: boolean;
  at: number;
}

export interface Decision {
  callId: string;
  seq: number;
  option: string;
  input?: Record<string, unknown>;
  confirmedPrompts?: string[];
}

/** An identity check not sent because the subscriber's checks are locked (too many failures across calls). */
export interface VerificationLock {
  callId: string;
  flowId: string;
  stepId: string;
  subscriber: string;
  at: number;
}
