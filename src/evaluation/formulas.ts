import type { IndicatorSource } from '../../protocol/evaluation';

/** What one group's rows add up to, per source (absent: the source was not read for this group, i.e. it has no rows). */
export interface GroupFigures {
  /** Sums of metric_rollup_flows (`repeats` = successful segments repeated within the FCR window). */
  flows?: Record<
    | 'calls'
    | 'call_ms'
    | 'call_wait_ms'
    | 'segments'
    | 'successes'
    | 'abandoned'
    | 'agent_steps'
    | 'over_target'
    | 'eligible'
    | 'presented'
    | 'accepted'
    | 'repeats'
    | 'needs_asked'
    | 'needs_matched',
    number
  >;
  /** Sums of metric_rollup_steps; `not-by-group` by team (the back end's latency and failures are the system's, not a team's — and the agent-grain step rollups are the largest). */
  steps?: { waits: number; wait_ms: number; failures: number } | 'not-by-group';
  compliance?: { applicable: number; passed: number };
  /** Distinct agents who took the group's calls. */
  agents?: number;
  /** Searches with a pick, picks within the top 3; `not-by-group` when the grouping cannot split the search log. */
  searches?: { picked: number; top3: number } | 'not-by-group';
  /** Satisfaction replies: count, sum of their scores (0–100), replies scoring ≥ 80. */
  satisfaction?: { replies: number; scoreSum: number; satisfied: number };
}

export type FormulaResult = { value: number; sample: number } | null | 'not-by-group';

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const ratio = (num: number, den: number): FormulaResult => (den > 0 ? { value: round(num / den, 4), sample: den } : null);
const mean = (sum: number, n: number, places = 0): FormulaResult => (n > 0 ? { value: round(sum / n, places), sample: n } : null);
const volume = (x: number, n: number): FormulaResult => (n > 0 ? { value: x, sample: n } : null);

type Flows = NonNullable<GroupFigures['flows']>;
const fromFlows =
  (f: (r: Flows) => FormulaResult) =>
  (g: GroupFigures): FormulaResult =>
    g.flows ? f(g.flows) : null;

/**
 * The named computations an indicator's `formula` may name (docs/EVALUATION.md §2 defines each). A
 * ratio has 4 decimals; null when its denominator is 0 (shown "no data").
 */
export const FORMULAS: Record<string, { source: Exclude<IndicatorSource, 'imported'>; compute: (g: GroupFigures) => FormulaResult }> = {
  'call-volume': { source: 'computed', compute: fromFlows((r) => volume(r.calls, r.calls)) },
  'business-volume': { source: 'computed', compute: fromFlows((r) => volume(r.segments, r.segments)) },
  'offer-opportunities': { source: 'computed', compute: fromFlows((r) => volume(r.eligible, r.segments)) },
  'offers-accepted': { source: 'computed', compute: fromFlows((r) => volume(r.accepted, r.segments)) },
  'calls-per-agent': { source: 'computed', compute: (g) => (g.flows && g.agents ? mean(g.flows.calls, g.agents, 1) : null) },
  'need-coverage': { source: 'computed', compute: fromFlows((r) => ratio(r.needs_matched, r.needs_asked)) },
  'success-rate': { source: 'computed', compute: fromFlows((r) => ratio(r.successes, r.segments)) },
  'fcr-rate': { source: 'computed', compute: fromFlows((r) => ratio(r.successes - r.repeats, r.segments)) },
  'abandon-rate': { source: 'computed', compute: fromFlows((r) => ratio(r.abandoned, r.segments)) },
  'agent-steps': { source: 'computed', compute: fromFlows((r) => mean(r.agent_steps, r.segments - r.abandoned, 2)) },
  'steps-within-target': { source: 'computed', compute: fromFlows((r) => ratio(r.segments - r.abandoned - r.over_target, r.segments - r.abandoned)) },
  'marketing-rate': { source: 'computed', compute: fromFlows((r) => ratio(r.presented, r.eligible)) },
  'marketing-conversion': { source: 'computed', compute: fromFlows((r) => ratio(r.accepted, r.presented)) },
  'handle-time': { source: 'computed', compute: fromFlows((r) => mean(r.call_ms, r.calls)) },
  'wait-share': { source: 'computed', compute: fromFlows((r) => (r.call_ms > 0 ? { value: round(r.call_wait_ms / r.call_ms, 4), sample: r.calls } : null)) },
  'backend-latency': { source: 'computed', compute: (g) => (g.steps === 'not-by-group' ? g.steps : g.steps ? mean(g.steps.wait_ms, g.steps.waits) : null) },
  'backend-failure-rate': {
    source: 'computed',
    compute: (g) => (g.steps === 'not-by-group' ? g.steps : g.steps ? ratio(g.steps.failures, g.steps.waits) : null),
  },
  'compliance-rate': { source: 'computed', compute: (g) => (g.compliance ? ratio(g.compliance.passed, g.compliance.applicable) : null) },
  'search-accuracy': {
    source: 'computed',
    compute: (g) => (g.searches === 'not-by-group' ? 'not-by-group' : g.searches ? ratio(g.searches.top3, g.searches.picked) : null),
  },
  'satisfaction-score': { source: 'satisfaction', compute: (g) => (g.satisfaction ? mean(g.satisfaction.scoreSum, g.satisfaction.replies, 1) : null) },
  'satisfied-share': { source: 'satisfaction', compute: (g) => (g.satisfaction ? ratio(g.satisfaction.satisfied, g.satisfaction.replies) : null) },
};
