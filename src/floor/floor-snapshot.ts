/**
 * The live floor (docs/PROTOCOL.md §13): a pure function from the calls in progress, the agents
 * online and the recent back-end replies per step to the snapshot a supervisor sees. No clock,
 * no engine: everything it needs is in its input, so it is tested on its own.
 */
import type { FloorActiveCall, FloorAlert, FloorSnapshot } from '../../protocol/floor';

/** One call in progress, as the floor sees it (titles already in the subscriber's locale). */
export interface FloorCallInput {
  callId: string;
  agentId: string;
  callerNumber: string;
  flowId: string;
  flowVersion: number;
  flowTitle: string;
  stepId: string;
  stepTitle: string;
  /** ISO time the call entered its current step. */
  since: string;
  /** The back-end operation the step waits on, since when (epoch ms). */
  waitingOn?: { operation: string; since: number } | null;
}

/** A back-end reply applied at a step (or a back-end timeout: `ok: false`). */
export interface StepOutcome {
  ok: boolean;
  at: number;
}

export interface FloorThresholds {
  /** A step alerts when one of its calls has waited on the back end at least this long. */
  waitMs: number;
  /** A step alerts when at least this share of its recent back-end replies failed. */
  failureRate: number;
  /** How many of the most recent replies of a step count (N). */
  window: number;
  /** Replies older than this do not count. */
  windowMs: number;
}

export const DEFAULT_THRESHOLDS: FloorThresholds = { waitMs: 5_000, failureRate: 0.5, window: 10, windowMs: 10 * 60_000 };

export interface FloorInput {
  now: number;
  calls: FloorCallInput[];
  /** Agent-role WebSocket sessions: one entry per session (the same agent on two tabs appears twice). */
  agentSessions: { agentId: string; username: string }[];
  /** Username of an agent id (a call's owner may be offline); falls back to the id. */
  usernameOf: (agentId: string) => string | undefined;
  /** Recent back-end outcomes by step key (`stepKey(flowId, stepId)`), oldest first. */
  outcomes: ReadonlyMap<string, readonly StepOutcome[]>;
  thresholds: FloorThresholds;
  /** Identity checks refused because a subscriber is locked, recent ones (any order). */
  locks?: readonly { flowId: string; stepId: string; at: number }[];
  /** When each alert (by `alertKey`) was first raised, from the previous snapshot. */
  alertSince: ReadonlyMap<string, number>;
  /** Work items past due and not resolved, by the business and step that raised them (src/work-items). */
  overdue?: readonly OverdueAtStep[];
}

export interface OverdueAtStep {
  flowId: string;
  stepId: string;
  count: number;
  /** When the oldest of them fell due (ISO). */
  oldestDueAt: string;
}

/** How long a refused identity check keeps its step's alert on the floor. */
export const LOCK_ALERT_MS = 15 * 60_000;

/** The snapshot is sent as it is (`floor.snapshot`): its types are in protocol/floor.d.ts. */
export type { FloorSnapshot };

export const stepKey = (flowId: string, stepId: string): string => `${flowId}\u0000${stepId}`;
export const alertKey = (kind: FloorAlert['kind'], flowId: string, stepId: string): string => `${kind}\u0000${flowId}\u0000${stepId}`;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The failure rate of a step over its last `window` replies within `windowMs`, or null without any. */
export function failureRate(
  outcomes: readonly StepOutcome[],
  now: number,
  t: Pick<FloorThresholds, 'window' | 'windowMs'>,
): { rate: number; replies: number } | null {
  const recent = outcomes.filter((o) => o.at >= now - t.windowMs && o.at <= now).slice(-t.window);
  if (!recent.length) return null;
  return { rate: recent.filter((o) => !o.ok).length / recent.length, replies: recent.length };
}

/** The snapshot, and the raise times of its alerts (feed them back in as `alertSince` next time). */
export function buildFloorSnapshot(input: FloorInput): { snapshot: FloorSnapshot; alertSince: Map<string, number> } {
  const { now, thresholds: t } = input;
  const name = (agentId: string) => input.usernameOf(agentId) ?? agentId;

  const calls = [...input.calls].sort((a, b) => byText(a.since, b.since) || byText(a.callId, b.callId));
  const activeCalls: FloorActiveCall[] = calls.map((c) => {
    const call: FloorActiveCall = {
      callId: c.callId,
      agent: name(c.agentId),
      callerNumber: c.callerNumber,
      flowId: c.flowId,
      flowVersion: c.flowVersion,
      stepId: c.stepId,
      stepTitle: c.stepTitle,
      since: c.since,
    };
    if (c.waitingOn) call.waitingOn = { operation: c.waitingOn.operation, sinceMs: Math.max(0, now - c.waitingOn.since) };
    return call;
  });

  const businesses = new Map<string, { flowId: string; title: string; calls: number; steps: Map<string, { stepId: string; title: string; calls: number }> }>();
  for (const c of calls) {
    let b = businesses.get(c.flowId);
    if (!b) businesses.set(c.flowId, (b = { flowId: c.flowId, title: c.flowTitle, calls: 0, steps: new Map() }));
    b.calls++;
    const s = b.steps.get(c.stepId);
    if (s) s.calls++;
    else b.steps.set(c.stepId, { stepId: c.stepId, title: c.stepTitle, calls: 1 });
  }
  const byBusiness = [...businesses.values()]
    .sort((a, b) => b.calls - a.calls || byText(a.flowId, b.flowId))
    .map((b) => ({
      flowId: b.flowId,
      title: b.title,
      calls: b.calls,
      steps: [...b.steps.values()].sort((x, y) => y.calls - x.calls || byText(x.stepId, y.stepId)),
    }));

  const callsByAgent = new Map<string, number>();
  for (const c of calls) callsByAgent.set(c.agentId, (callsByAgent.get(c.agentId) ?? 0) + 1);
  const online = new Map<string, string>();
  for (const s of input.agentSessions) online.set(s.agentId, s.username);
  const agentsOnline = [...online]
    .map(([agentId, username]) => ({ username, calls: callsByAgent.get(agentId) ?? 0 }))
    .sort((a, b) => byText(a.username, b.username));

  const waiting = activeCalls
    .filter((c) => c.waitingOn)
    .map((c) => ({ callId: c.callId, operation: c.waitingOn!.operation, waitingMs: c.waitingOn!.sinceMs }))
    .sort((a, b) => b.waitingMs - a.waitingMs || byText(a.callId, b.callId));

  const alerts: FloorAlert[] = [];
  const alertSince = new Map<string, number>();

  // Wait: per step, the longest current wait on the back end; raised when that wait crossed the threshold.
  const longest = new Map<string, { flowId: string; stepId: string; waitingMs: number; startedAt: number }>();
  for (const c of calls) {
    if (!c.waitingOn) continue;
    const waitingMs = Math.max(0, now - c.waitingOn.since);
    const key = stepKey(c.flowId, c.stepId);
    const cur = longest.get(key);
    if (!cur || waitingMs > cur.waitingMs) longest.set(key, { flowId: c.flowId, stepId: c.stepId, waitingMs, startedAt: c.waitingOn.since });
  }
  for (const w of longest.values()) {
    if (w.waitingMs < t.waitMs) continue;
    const raised = w.startedAt + t.waitMs;
    alertSince.set(alertKey('wait', w.flowId, w.stepId), raised);
    alerts.push({
      kind: 'wait',
      flowId: w.flowId,
      stepId: w.stepId,
      value: w.waitingMs,
      threshold: t.waitMs,
      since: new Date(raised).toISOString(),
    });
  }

  // Failure rate: per step, over its last N replies within the window; raised when first seen above the threshold.
  for (const [key, outcomes] of input.outcomes) {
    const r = failureRate(outcomes, now, t);
    if (!r || r.rate < t.failureRate) continue;
    const [flowId, stepId] = key.split('\u0000');
    const k = alertKey('failure-rate', flowId, stepId);
    const raised = input.alertSince.get(k) ?? now;
    alertSince.set(k, raised);
    alerts.push({
      kind: 'failure-rate',
      flowId,
      stepId,
      value: Math.round(r.rate * 1000) / 1000,
      threshold: t.failureRate,
      since: new Date(raised).toISOString(),
    });
  }
  // Verification locked: per step, the checks refused in the last LOCK_ALERT_MS; raised at the first of them.
  const locked = new Map<string, { flowId: string; stepId: string; count: number; first: number }>();
  for (const l of input.locks ?? []) {
    if (now - l.at > LOCK_ALERT_MS) continue;
    const key = stepKey(l.flowId, l.stepId);
    const cur = locked.get(key) ?? { flowId: l.flowId, stepId: l.stepId, count: 0, first: l.at };
    locked.set(key, { ...cur, count: cur.count + 1, first: Math.min(cur.first, l.at) });
  }
  for (const l of locked.values()) {
    alertSince.set(alertKey('verification-locked', l.flowId, l.stepId), l.first);
    alerts.push({ kind: 'verification-locked', flowId: l.flowId, stepId: l.stepId, value: l.count, threshold: 1, since: new Date(l.first).toISOString() });
  }
  for (const o of input.overdue ?? []) {
    alertSince.set(alertKey('work-items-overdue', o.flowId, o.stepId), Date.parse(o.oldestDueAt));
    alerts.push({ kind: 'work-items-overdue', flowId: o.flowId, stepId: o.stepId, value: o.count, threshold: 0, since: o.oldestDueAt });
  }
  alerts.sort((a, b) => byText(a.since, b.since) || byText(a.kind, b.kind) || byText(a.flowId, b.flowId) || byText(a.stepId, b.stepId));

  return { snapshot: { at: new Date(now).toISOString(), activeCalls, byBusiness, agentsOnline, waiting, alerts }, alertSince };
}

/**
 * What a subscriber must be told about: everything but the clock (`at`, wait durations, a wait
 * alert's growing value). Pushes go out when this changes, or as a heartbeat.
 */
export function floorSignature(s: FloorSnapshot): string {
  return JSON.stringify([
    s.activeCalls.map((c) => [c.callId, c.agent, c.flowId, c.flowVersion, c.stepId, c.stepTitle, c.since, c.waitingOn?.operation ?? null]),
    s.byBusiness,
    s.agentsOnline,
    s.waiting.map((w) => [w.callId, w.operation]),
    s.alerts.map((a) => [a.kind, a.flowId, a.stepId, a.kind === 'wait' ? null : a.value, a.threshold, a.since]),
  ]);
}
