import { ApiError, request } from '../api.js';
import { saveFile } from '../qa/format.js';

/** The metrics HTTP API (src/metrics/metrics.controller.ts, docs/METRICS.md §4), as the dashboards read it. */

export interface BusinessMetrics {
  flowId: string;
  version: number;
  calls: number;
  successRate: number | null;
  fcrRate: number | null;
  agentSteps: { avg: number | null; min: number | null; target: number; overTarget: number };
  marketing: { eligible: number; presented: number; rate: number | null; accepted: number; conversion: number | null };
}

export interface Summary {
  calls: number;
  handleTime: { avgMs: number | null; p90Ms: number | null; agentMs: number | null; waitMs: number | null; byLane: Record<string, number | null> };
  businesses: BusinessMetrics[];
}

export interface StepMetrics {
  stepId: string;
  lane: string;
  marks: string[];
  visits: number;
  avgMs: number | null;
  p90Ms: number | null;
  waits: { count: number; p50Ms: number | null; p90Ms: number | null };
  failures: { count: number; rate: number | null; topCauses: { cause: string; count: number }[] };
  dropOffs: number;
}

export interface OfferMetrics {
  flowId: string;
  stepId: string;
  offerId: string | null;
  eligible: number;
  presented: number;
  accepted: number;
  conversion: number | null;
}
export interface CheckMetrics {
  checkId: string;
  applicable: number;
  passed: number;
  rate: number | null;
}

export interface CompareSide {
  version: number;
  sampleSize: { calls: number; segments: number };
  summary: Summary;
  business: BusinessMetrics | null;
  steps: StepMetrics[];
}
export interface Comparison {
  flowId: string;
  a: CompareSide;
  b: CompareSide;
  differences: { metric: string; a: number | null; b: number | null; delta: number | null }[];
}

/** The filters every endpoint takes (docs/METRICS.md §4), as typed in the filter bar; empty = not filtered. */
export type MetricsFilter = Partial<Record<'from' | 'to' | 'flowId' | 'version' | 'region' | 'agent' | 'brand' | 'tier' | 'fcrDays', string>>;

export function metricsQuery(filter: MetricsFilter, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

const base = '/api/metrics';
const withQuery = (path: string, filter: MetricsFilter, extra?: Record<string, string | number>) => {
  const q = metricsQuery(filter, extra);
  return q ? `${path}?${q}` : path;
};

/** One table's endpoint path, for its JSON and for its CSV download. */
export const metricsPaths = {
  summary: (f: MetricsFilter) => withQuery(`${base}/summary`, f),
  steps: (flowId: string, f: MetricsFilter) => withQuery(`${base}/flows/${encodeURIComponent(flowId)}/steps`, { ...f, flowId: undefined }),
  offers: (f: MetricsFilter) => withQuery(`${base}/offers`, f),
  compliance: (f: MetricsFilter) => withQuery(`${base}/compliance`, f),
  compare: (flowId: string, a: number, b: number, f: MetricsFilter) => withQuery(`${base}/compare`, { ...f, version: undefined, flowId }, { a, b }),
};

export const metricsApi = {
  summary: (token: string, f: MetricsFilter) => request<Summary>(metricsPaths.summary(f), { token }),
  steps: (token: string, flowId: string, f: MetricsFilter) => request<StepMetrics[]>(metricsPaths.steps(flowId, f), { token }),
  offers: (token: string, f: MetricsFilter) => request<OfferMetrics[]>(metricsPaths.offers(f), { token }),
  compliance: (token: string, f: MetricsFilter) => request<CheckMetrics[]>(metricsPaths.compliance(f), { token }),
  compare: (token: string, flowId: string, a: number, b: number, f: MetricsFilter) => request<Comparison>(metricsPaths.compare(flowId, a, b, f), { token }),
};

/**
 * Downloads the server's CSV of a table (`format=csv` on the same path): the export needs the
 * bearer token, so it is fetched and saved through a Blob (qa/format.ts saveFile), named as the server names it.
 */
export async function downloadCsv(token: string, path: string): Promise<void> {
  const url = `${path}${path.includes('?') ? '&' : '?'}format=csv`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) {
    const body = (() => {
      try {
        return JSON.parse(text);
      } catch {
        return {};
      }
    })();
    throw new ApiError(response.status, body.code ?? 'INTERNAL', body.message ?? response.statusText, body.details);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'metrics.csv';
  saveFile(name, 'text/csv;charset=utf-8', text);
}
