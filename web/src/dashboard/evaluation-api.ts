import type { EvaluationModelView, EvaluationScores, OtherNeed, QuadrantData, ScoreGrouping } from '../../../protocol/evaluation.js';
import { queryString, request } from '../app/api.js';
import type { MetricsFilter } from './metrics-api.js';

const base = '/api/evaluation';
/** The evaluation endpoints take the metrics filters except the CSV format and the FCR window's own use (src/evaluation). */
const q = (params: Record<string, string | undefined>) => {
  const s = queryString(params);
  return s ? `?${s}` : '';
};

export const evaluationApi = {
  model: (token: string) => request<EvaluationModelView>(`${base}/model`, { token }),
  scores: (token: string, f: MetricsFilter, by: ScoreGrouping) => request<EvaluationScores>(`${base}/scores${q({ ...f, by })}`, { token }),
  quadrant: (token: string, f: MetricsFilter) => request<QuadrantData>(`${base}/quadrant${q({ ...f })}`, { token }),
  otherNeeds: (token: string, f: MetricsFilter) =>
    request<OtherNeed[]>(`${base}/other-needs${q({ from: f.from, to: f.to, region: f.region, agent: f.agent, limit: '50' })}`, { token }),
};
