/** `floor.snapshot` (docs/PROTOCOL.md §13), as the live floor page reads it. */
export interface FloorSnapshot {
  requestId?: string;
  at: string;
  activeCalls: {
    callId: string;
    agent: string;
    callerNumber: string;
    flowId: string;
    flowVersion: number;
    stepId: string;
    stepTitle: string;
    since: string;
    waitingOn?: { operation: string; sinceMs: number };
  }[];
  byBusiness: { flowId: string; title: string; calls: number; steps: { stepId: string; title: string; calls: number }[] }[];
  agentsOnline: { username: string; calls: number }[];
  waiting: { callId: string; operation: string; waitingMs: number }[];
  alerts: { kind: 'wait' | 'failure-rate'; flowId: string; stepId: string; value: number; threshold: number; since: string }[];
}
