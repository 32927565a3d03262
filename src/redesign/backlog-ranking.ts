import type { Quadrant, QuadrantPoint } from '../../protocol/evaluation';
import type { BacklogEntry, BacklogPriority, BacklogStatus, FlagReason, StepEvidence, StepFlag } from '../../protocol/redesign';

/** What the heat map has on one step of one version (the month rollups: visits, F failures, back-end wait time). */
export interface StepNumbers {
  version: number;
  stepId: string;
  visits: number;
  failures: number;
  waitMs: number;
}

/** Each whole WAIT_UNIT_MS of waiting at a step counts as one problem, as a failure does; a flag counts FLAG_WEIGHT. */
export const WAIT_UNIT_MS = 10_000;
export const FLAG_WEIGHT = 3;

export function evidenceOf(version: number, n: Omit<StepNumbers, 'version' | 'stepId'> | undefined, flags: number): StepEvidence {
  const visits = n?.visits ?? 0;
  const failures = n?.failures ?? 0;
  const waitMs = n?.waitMs ?? 0;
  const score = FLAG_WEIGHT * flags + failures + Math.floor(waitMs / WAIT_UNIT_MS);
  return { version, visits, flags, failures, waitMs, score, rate: visits > 0 ? Math.round((score / visits) * 10_000) / 10_000 : null };
}

const ORDER: Record<BacklogStatus, number> = { open: 0, 'awaiting-data': 1, closed: 2 };

/**
 * The redesign backlog of one business (docs/REDESIGN.md §3). One entry per step with evidence
 * against it — score = 3 × flags + F failures + whole 10 s of back-end waiting — taken at the newest
 * version that has any. When a newer version is published, the entry is:
 *  - `awaiting-data` while no call has gone through that version yet;
 *  - `closed` once it has, and the step's rate (score per visit) there is lower than before — the
 *    number the version comparison shows moved (a step the new version dropped has no visits: closed);
 *  - `open` otherwise, as it is without a newer version.
 * Ranked: open, then awaiting data, then closed; within each, by score, then flags, then failures (all
 * descending), then step id.
 */
/** Flags of one (version, step, reason): `count` of them (one flag when absent). */
export type FlagCount = Pick<StepFlag, 'version' | 'stepId' | 'reason'> & { count?: number };

export function rankBacklog(
  flowId: string,
  numbers: StepNumbers[],
  flags: FlagCount[],
  published: number | null,
  callsOfVersion: (version: number) => number,
): BacklogEntry[] {
  const key = (version: number, stepId: string) => `${version}|${stepId}`;
  const byKey = new Map(numbers.map((n) => [key(n.version, n.stepId), n]));
  const flagCount = new Map<string, number>();
  for (const f of flags) flagCount.set(key(f.version, f.stepId), (flagCount.get(key(f.version, f.stepId)) ?? 0) + (f.count ?? 1));
  const steps = new Set([...numbers.map((n) => n.stepId), ...flags.map((f) => f.stepId)]);
  const versions = [...new Set([...numbers.map((n) => n.version), ...flags.map((f) => f.version)])].sort((a, b) => b - a);
  const entries: Omit<BacklogEntry, 'rank'>[] = [];
  for (const stepId of steps) {
    const at = (v: number) => evidenceOf(v, byKey.get(key(v, stepId)), flagCount.get(key(v, stepId)) ?? 0);
    const version = versions.find((v) => at(v).score > 0);
    if (version === undefined) continue;
    const evidence = at(version);
    const newer = published !== null && published > version ? at(published) : null;
    let status: BacklogStatus = 'open';
    if (newer && callsOfVersion(newer.version) === 0) status = 'awaiting-data';
    else if (newer && (newer.rate === null || newer.rate < evidence.rate!)) status = 'closed';
    const reasons = new Map<FlagReason, number>();
    for (const f of flags) if (f.stepId === stepId) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + (f.count ?? 1));
    entries.push({
      flowId,
      stepId,
      status,
      version,
      evidence,
      newer,
      reasons: [...reasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    });
  }
  return entries
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        b.evidence.score - a.evidence.score ||
        b.evidence.flags - a.evidence.flags ||
        b.evidence.failures - a.evidence.failures ||
        a.stepId.localeCompare(b.stepId),
    )
    .map((e, i) => ({ rank: i + 1, ...e }));
}

/** Which business's backlog to work first: the quadrant's verdict, then importance (docs/REDESIGN.md). */
const QUADRANT_ORDER: readonly (Quadrant | null)[] = ['fix-first', 'watch', 'keep-up', 'surplus', null];

/** The business's place among the quadrant's points (businesses with calls), or null when it has none. */
export function backlogPriority(flowId: string, points: readonly QuadrantPoint[]): BacklogPriority | null {
  const ranked = [...points].sort(
    (a, b) => QUADRANT_ORDER.indexOf(a.quadrant) - QUADRANT_ORDER.indexOf(b.quadrant) || b.importance - a.importance || a.flowId.localeCompare(b.flowId),
  );
  const at = ranked.findIndex((p) => p.flowId === flowId);
  return at < 0 ? null : { point: ranked[at], rank: at + 1, of: ranked.length };
}
