import type {
  AuditEntry,
  CheckReply,
  CreateDraftRequest,
  DefinitionRequest,
  FlowDiff,
  FlowVersions,
  VersionDetail,
  WorkflowAction,
  WorkflowRequest,
} from '../../../protocol/authoring.js';
import { request } from '../app/api.js';

/**
 * A flow definition as the editor holds it: plain JSON (docs/FLOWS.md), possibly a draft that does
 * not pass the checks yet, so only what the editor reads is looked at.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FlowJson = Record<string, any>;

const base = '/api/authoring';
const enc = encodeURIComponent;
const v = (flowId: string, version: number) => `${base}/flows/${enc(flowId)}/versions/${version}`;
const post = (body: CreateDraftRequest | DefinitionRequest | WorkflowRequest, method: 'POST' | 'PUT' = 'POST') => ({
  method,
  body: JSON.stringify(body),
});

/** The authoring HTTP API (src/authoring/authoring.controller.ts). */
export const authoringApi = {
  flows: (token: string) => request<FlowVersions[]>(`${base}/flows`, { token }),
  version: (token: string, flowId: string, version: number) => request<VersionDetail>(v(flowId, version), { token }),
  newDraft: (token: string, flowId: string, basedOn: number) =>
    request<VersionDetail>(`${base}/flows/${enc(flowId)}/versions`, { token, ...post({ basedOn }) }),
  save: (token: string, flowId: string, version: number, definition: FlowJson) =>
    request<VersionDetail>(v(flowId, version), { token, ...post({ definition }, 'PUT') }),
  check: (token: string, definition: FlowJson) => request<CheckReply>(`${base}/check`, { token, ...post({ definition }) }),
  act: (token: string, flowId: string, version: number, action: WorkflowAction, comment?: string) =>
    request<VersionDetail>(`${v(flowId, version)}/${action}`, { token, ...post(comment ? { comment } : {}) }),
  diff: (token: string, flowId: string, from: number, to: number) => request<FlowDiff>(`${base}/flows/${enc(flowId)}/diff?from=${from}&to=${to}`, { token }),
  audit: (token: string, flowId: string, version: number) => request<AuditEntry[]>(`${base}/audit?flowId=${enc(flowId)}&version=${version}`, { token }),
};
