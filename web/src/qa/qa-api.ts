import type { Locale } from '../../../protocol/flow-definition.js';
import type {
  CallPage,
  CallSearchParams,
  Marks,
  QaReplay,
  Scorecard,
  ScorecardForm,
  ScorecardRequest,
  ScorecardRevision,
  ScorecardRevisionRequest,
} from '../../../protocol/qa.js';
import { queryString, request, requestText } from '../app/api.js';

/** The finder's filters as typed in its form, sent as query parameters (empty ones are left out). */
export type CallFilter = Partial<Record<Exclude<keyof CallSearchParams, 'page' | 'pageSize' | 'format'>, string>>;

const enc = encodeURIComponent;
const calls = (filter: CallFilter, page: number, pageSize: number, format?: 'csv' | 'json') =>
  `/api/qa/calls?${queryString({ ...filter, page, pageSize, format })}`;
const send = (method: 'POST' | 'PUT', body: ScorecardRequest | ScorecardRevisionRequest) => ({ method, body: JSON.stringify(body) });

/** The QA HTTP API (src/qa/qa.controller.ts, docs/QA.md), as the QA pages use it. */
export const qaApi = {
  findCalls: (token: string, filter: CallFilter, page: number, pageSize: number) => request<CallPage>(calls(filter, page, pageSize), { token }),
  replay: (token: string, callId: string, locale: Locale) => request<QaReplay>(`/api/qa/calls/${enc(callId)}/replay?locale=${locale}`, { token }),
  form: (token: string) => request<ScorecardForm>('/api/qa/scorecard-form', { token }),
  scorecards: (token: string, callId: string) => request<Scorecard[]>(`/api/qa/calls/${enc(callId)}/scorecards`, { token }),
  revisions: (token: string, id: string) => request<ScorecardRevision[]>(`/api/qa/scorecards/${enc(id)}/revisions`, { token }),
  create: (token: string, callId: string, marks: Marks, comment: string) =>
    request<Scorecard>(`/api/qa/calls/${enc(callId)}/scorecards`, { token, ...send('POST', { marks, comment }) }),
  revise: (token: string, id: string, revision: number, marks: Marks, comment: string) =>
    request<Scorecard>(`/api/qa/scorecards/${enc(id)}`, { token, ...send('PUT', { revision, marks, comment }) }),
  mine: (token: string) => request<Scorecard[]>('/api/qa/my-scorecards', { token }),
  /** The raw text of one page of the search (CSV or JSON), with the bearer token. */
  exportPage: async (token: string, filter: CallFilter, format: 'csv' | 'json', page: number, pageSize: number): Promise<string> =>
    (await requestText(calls(filter, page, pageSize, format), token)).text,
};
