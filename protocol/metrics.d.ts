/** Operations metrics from the decision log, `/api/metrics/…` (docs/METRICS.md §4). Rates: 4 decimals, null when the denominator is 0. */

/** The filters every endpoint takes; `format=csv` answers the endpoint's table as CSV. */
export interface MetricsParams {
  /** First and last day included (UTC, YYYY-MM-DD). */
  from?: string;
  to?: string;
  flowId?: string;
  version?: number;
  region?: string;
  /** Agent username (unknown: no rows). */
  agent?: string;
  brand?: string;
  tier?: string;
  /** First-call-resolution window, 1…30 days. */
  fcrDays?: number;
  format?: 'json' | 'csv';
}

/** `GET /api/metrics/compare`: two versions of `flowId` (required). */
export interface CompareParams extends MetricsParams {
  a: number;
  b: number;
}

export interface BusinessMetrics {
  flowId: string;
  version: number;
  /** Segments of calls in this business. */
  calls: number;
  successRate: number | null;
  fcrRate: number | null;
  agentSteps: { avg: number | null; min: number | null; target: number; overTarget: number };
  marketing: { eligible: number; presented: number; rate: number | null; accepted: number; conversion: number | null };
}

/** `GET /api/metrics/summary` (agentMs, waitMs, byLane: per-call averages). */
export interface MetricsSummary {
  calls: number;
  handleTime: {
    avgMs: number | null;
    p90Ms: number | null;
    agentMs: number | null;
    waitMs: number | null;
    byLane: Record<string, number | null>;
  };
  businesses: BusinessMetrics[];
}

/** `GET /api/metrics/flows/:flowId/steps`, in the flow's step order. */
export interface StepMetrics {
  stepId: string;
  lane: string;
  marks: string[];
  visits: number;
  avgMs: number | null;
  p90Ms: number | null;
  waits: { count: number; p50Ms: number | null; p90Ms: number | null };
  /** `topCauses`: at most 5. */
  failures: { count: number; rate: number | null; topCauses: { cause: string; count: number }[] };
  dropOffs: number;
}

/** `GET /api/metrics/offers`: per M point (`offerId` null) and per offer. */
export interface OfferMetrics {
  flowId: string;
  stepId: string;
  offerId: string | null;
  eligible: number;
  presented: number;
  accepted: number;
  conversion: number | null;
}

/** `GET /api/metrics/compliance`: per automatic compliance check. */
export interface CheckMetrics {
  checkId: string;
  applicable: number;
  passed: number;
  rate: number | null;
}

export interface CompareSide {
  version: number;
  sampleSize: { calls: number; segments: number };
  summary: MetricsSummary;
  business: BusinessMetrics | null;
  steps: StepMetrics[];
}

/** `GET /api/metrics/compare?flowId&a&b`: `delta` = b − a. */
export interface Comparison {
  flowId: string;
  a: CompareSide;
  b: CompareSide;
  differences: { metric: string; a: number | null; b: number | null; delta: number | null }[];
}
