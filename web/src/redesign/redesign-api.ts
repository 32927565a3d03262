import type { Backlog, FlagReason, StepFlag } from '../../../protocol/redesign.js';
import type { SatisfactionReport } from '../../../protocol/satisfaction.js';
import { queryString, request } from '../app/api.js';

const enc = encodeURIComponent;
const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

/** src/redesign and src/satisfaction over HTTP (docs/REDESIGN.md, docs/SATISFACTION.md). */
export const redesignApi = {
  agentFlag: (token: string, callId: string, reason: FlagReason, text: string) =>
    request<StepFlag>(`/api/calls/${enc(callId)}/flags`, { token, ...post({ reason, text }) }),
  qaFlag: (token: string, callId: string, seq: number, reason: FlagReason, text: string) =>
    request<StepFlag>(`/api/qa/calls/${enc(callId)}/flags`, { token, ...post({ reason, text, seq }) }),
  backlog: (token: string, flowId: string) => request<Backlog>(`/api/redesign/${enc(flowId)}/backlog`, { token }),
  satisfaction: (token: string, f: { from?: string; to?: string; flowId?: string }) => {
    const q = queryString({ from: f.from, to: f.to, flowId: f.flowId });
    return request<SatisfactionReport>(`/api/metrics/satisfaction${q ? `?${q}` : ''}`, { token });
  },
};
