/** What the scripted agents (call-agent.ts) see and send: the shared record a crash test checks against the log. */

export interface View {
  callId: string;
  seq: number;
  status: string;
  step: {
    id: string;
    options: { id: string; inputs: string[] }[];
    inputs: { name: string; type: string; required: boolean; length?: number; values?: { id: string }[] }[];
  };
  [key: string]: any;
}

/** One view that reached a client: what it acknowledged (a start, a decision, a hang-up) or that it was pushed/attached. */
export interface Seen {
  agent: string;
  callId: string;
  seq: number;
  step: string;
  status: string;
  kind: 'start' | 'decide' | 'hangup' | 'attach' | 'push';
  /** For `decide`: the option the view acknowledges. */
  option?: string;
  /** performance.now() when it arrived, and (for replies) how long after the request. */
  at: number;
  latencyMs?: number;
}

export interface AgentProblem {
  agent: string;
  what: string;
}

/** A request the server did not answer before its socket closed (the kill landed on it). */
export interface InFlight {
  agent: string;
  kind: 'start' | 'decide' | 'hangup' | 'attach';
  callId?: string;
  seq?: number;
  option?: string;
}

/** The p-th percentile (0–100) of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
