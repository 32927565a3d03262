import type { CheckMetrics, Comparison, MetricsParams, MetricsSummary, OfferMetrics, StepMetrics } from '../../../protocol/metrics.js';
import { queryString, request, requestText } from '../app/api.js';
import type { OnTimeReport } from '../../../protocol/work-items.js';
import { saveFile } from '../app/format.js';

/** The filters every endpoint takes (docs/METRICS.md §4), as typed in the filter bar; empty = not filtered. */
export type MetricsFilter = Partial<Record<Exclude<keyof MetricsParams, 'format'>, string>>;

const base = '/api/metrics';
const withQuery = (path: string, params: Record<string, string | number | undefined>) => {
  const q = queryString(params);
  return q ? `${path}?${q}` : path;
};

/** One table's endpoint path, for its JSON and for its CSV download (src/metrics/metrics.controller.ts). */
export const metricsPaths = {
  summary: (f: MetricsFilter) => withQuery(`${base}/summary`, f),
  steps: (flowId: string, f: MetricsFilter) => withQuery(`${base}/flows/${encodeURIComponent(flowId)}/steps`, { ...f, flowId: undefined }),
  offers: (f: MetricsFilter) => withQuery(`${base}/offers`, f),
  compliance: (f: MetricsFilter) => withQuery(`${base}/compliance`, f),
  compare: (flowId: string, a: number, b: number, f: MetricsFilter) => withQuery(`${base}/compare`, { ...f, version: undefined, flowId, a, b }),
};

export const metricsApi = {
  summary: (token: string, f: MetricsFilter) => request<MetricsSummary>(metricsPaths.summary(f), { token }),
  steps: (token: string, flowId: string, f: MetricsFilter) => request<StepMetrics[]>(metricsPaths.steps(flowId, f), { token }),
  offers: (token: string, f: MetricsFilter) => request<OfferMetrics[]>(metricsPaths.offers(f), { token }),
  compliance: (token: string, f: MetricsFilter) => request<CheckMetrics[]>(metricsPaths.compliance(f), { token }),
  /** Work items kept on time in the filter's days (src/work-items; the other filters do not apply). */
  onTime: (token: string, f: MetricsFilter) => request<OnTimeReport>(`/api/work-items/on-time?${queryString({ from: f.from, to: f.to })}`, { token }),
  compare: (token: string, flowId: string, a: number, b: number, f: MetricsFilter) => request<Comparison>(metricsPaths.compare(flowId, a, b, f), { token }),
};

/**
 * Downloads the server's CSV of a table (`format=csv` on the same path): the export needs the
 * bearer token, so it is fetched and saved through a Blob (app/format.ts saveFile), named as the server names it.
 */
export async function downloadCsv(token: string, path: string): Promise<void> {
  const { text, headers } = await requestText(`${path}${path.includes('?') ? '&' : '?'}format=csv`, token);
  const name = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '')?.[1] ?? 'metrics.csv';
  saveFile(name, 'text/csv;charset=utf-8', text);
}
