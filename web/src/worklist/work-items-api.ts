import type { WorkItemDetail, WorkItemList, WorkItemStatus } from '../../../protocol/work-items.js';
import { queryString, request } from '../app/api.js';

/** The worklist HTTP API (src/work-items, docs/FOLLOW-UP.md). */
export const workItemsApi = {
  list: (token: string, scope: 'mine' | 'team', done: boolean) =>
    request<WorkItemList>(`/api/work-items?${queryString({ scope, done: done ? 'true' : undefined })}`, { token }),
  get: (token: string, id: number) => request<WorkItemDetail>(`/api/work-items/${id}`, { token }),
  claim: (token: string, id: number) => request<WorkItemDetail>(`/api/work-items/${id}/claim`, { token, method: 'POST' }),
  setStatus: (token: string, id: number, status: WorkItemStatus, note?: string) =>
    request<WorkItemDetail>(`/api/work-items/${id}/status`, { token, method: 'POST', body: JSON.stringify({ status, ...(note ? { note } : {}) }) }),
  callback: (token: string, id: number, at: string, flowId: string, note?: string) =>
    request<WorkItemDetail>(`/api/work-items/${id}/callback`, { token, method: 'POST', body: JSON.stringify({ at, flowId, ...(note ? { note } : {}) }) }),
};
