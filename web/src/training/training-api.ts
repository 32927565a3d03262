import type { MyTraining, TrainingCallStarted, TrainingOverview, TrainingResult } from '../../../protocol/training.js';
import { request } from '../app/api.js';

/** The training HTTP API (src/training, docs/TRAINING.md). */
export const trainingApi = {
  start: (token: string, flowId: string) => request<TrainingCallStarted>('/api/training/calls', { token, method: 'POST', body: JSON.stringify({ flowId }) }),
  result: (token: string, callId: string) => request<TrainingResult>(`/api/training/calls/${encodeURIComponent(callId)}`, { token }),
  mine: (token: string) => request<MyTraining>('/api/training/me', { token }),
  overview: (token: string) => request<TrainingOverview>('/api/training/certifications', { token }),
};
