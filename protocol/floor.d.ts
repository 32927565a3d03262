/** The live floor for supervisors: `floor.snapshot` (docs/PROTOCOL.md §13), titles in the connection's locale. */

export interface FloorActiveCall {
  callId: string;
  /** The owner's username. */
  agent: string;
  callerNumber: string;
  /** The business the call is in now. */
  flowId: string;
  flowVersion: number;
  stepId: string;
  stepTitle: string;
  /** When the call entered this step (its last event). */
  since: string;
  /** Only while a back-end call is out. */
  waitingOn?: { operation: string; sinceMs: number };
}

export interface FloorAlert {
  /**
   * verification-locked: a subscriber's identity checks were locked at this step (too many failures across calls).
   * work-items-overdue: work items raised at this step are past their due time and not resolved (docs/FOLLOW-UP.md).
   */
  kind: 'wait' | 'failure-rate' | 'verification-locked' | 'work-items-overdue';
  flowId: string;
  stepId: string;
  /** wait: the longest current wait at the step (ms); failure-rate: the share of failed replies (0…1); verification-locked: checks refused in the last 15 min; work-items-overdue: how many are overdue. */
  value: number;
  threshold: number;
  /** ISO time the alert was raised (work-items-overdue: when the oldest of them fell due). */
  since: string;
}

export interface FloorSnapshot {
  /** When the snapshot was taken. */
  at: string;
  activeCalls: FloorActiveCall[];
  byBusiness: { flowId: string; title: string; calls: number; steps: { stepId: string; title: string; calls: number }[] }[];
  agentsOnline: { username: string; calls: number }[];
  waiting: { callId: string; operation: string; waitingMs: number }[];
  alerts: FloorAlert[];
}
