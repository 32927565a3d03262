import type { FloorSnapshot } from './floor-snapshot';

/**
 * A supervisor's view of the floor: only the calls and online agents whose agent they see (their
 * teams), the per-business counts recounted from those calls. Alerts are per step, not per agent:
 * they stay. `visible` null: the supervisor sees all teams — the snapshot itself is returned.
 */
export function scopeSnapshot(snapshot: FloorSnapshot, visible: ((username: string) => boolean) | null): FloorSnapshot {
  if (!visible) return snapshot;
  const activeCalls = snapshot.activeCalls.filter((c) => visible(c.agent));
  const kept = new Set(activeCalls.map((c) => c.callId));
  const count = (flowId: string, stepId?: string) => activeCalls.filter((c) => c.flowId === flowId && (stepId === undefined || c.stepId === stepId)).length;
  const byBusiness = snapshot.byBusiness
    .map((b) => ({ ...b, calls: count(b.flowId), steps: b.steps.map((s) => ({ ...s, calls: count(b.flowId, s.stepId) })).filter((s) => s.calls > 0) }))
    .filter((b) => b.calls > 0);
  return {
    ...snapshot,
    activeCalls,
    byBusiness,
    agentsOnline: snapshot.agentsOnline.filter((a) => visible(a.username)),
    waiting: snapshot.waiting.filter((w) => kept.has(w.callId)),
  };
}
