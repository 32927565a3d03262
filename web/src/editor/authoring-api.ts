import { request } from '../app/api.js';
import type { LocalizedText } from '../protocol.js';

export type VersionStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'retired';

export interface VersionSummary {
  flowId: string;
  version: number;
  status: VersionStatus;
  inForce: boolean;
  createdBy: string;
  /** It was in force at some time: a retired one can be published again (rollback). */
  everPublished: boolean;
  createdAt: string;
  updatedAt: string | null;
  basedOn: number | null;
}

export interface FlowEntry {
  id: string;
  title: LocalizedText;
  kind: string;
  inForce: number | null;
  versions: VersionSummary[];
}

/** A check result (src/authoring/checks/finding.ts). */
export interface Finding {
  check: string;
  severity: 'error';
  path: string;
  message: string;
  policy?: string;
  offendingPath?: string[];
}

// The flow definition is edited as plain JSON (docs/FLOWS.md); only what the editor reads is typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FlowJson = Record<string, any>;

export interface VersionDetail extends VersionSummary {
  definition: FlowJson;
  findings: Finding[];
}

export interface DiffChange {
  kind: string;
  stepId?: string;
  locale?: string;
  field?: string;
  text: LocalizedText;
}

export interface FlowDiff {
  changes: DiffChange[];
  summary: { added: number; removed: number; moved: number; changed: number };
}

export interface AuditEntry {
  id: number;
  flowId: string;
  version: number | null;
  action: string;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

export type WorkflowAction = 'submit' | 'approve' | 'reject' | 'publish' | 'retire';

const base = '/api/authoring';
const v = (flowId: string, version: number) => `${base}/flows/${encodeURIComponent(flowId)}/versions/${version}`;

/** The authoring HTTP API (src/authoring/authoring.controller.ts). */
export const authoringApi = {
  flows: (token: string) => request<FlowEntry[]>(`${base}/flows`, { token }),
  version: (token: string, flowId: string, version: number) => request<VersionDetail>(v(flowId, version), { token }),
  newDraft: (token: string, flowId: string, basedOn: number) =>
    request<VersionDetail>(`${base}/flows/${encodeURIComponent(flowId)}/versions`, { method: 'POST', token, body: JSON.stringify({ basedOn }) }),
  save: (token: string, flowId: string, version: number, definition: FlowJson) =>
    request<VersionDetail>(v(flowId, version), { method: 'PUT', token, body: JSON.stringify({ definition }) }),
  check: (token: string, definition: FlowJson) =>
    request<{ findings: Finding[] }>(`${base}/check`, { method: 'POST', token, body: JSON.stringify({ definition }) }),
  act: (token: string, flowId: string, version: number, action: WorkflowAction, comment?: string) =>
    request<VersionDetail>(`${v(flowId, version)}/${action}`, { method: 'POST', token, body: JSON.stringify(comment ? { comment } : {}) }),
  diff: (token: string, flowId: string, from: number, to: number) =>
    request<FlowDiff>(`${base}/flows/${encodeURIComponent(flowId)}/diff?from=${from}&to=${to}`, { token }),
  audit: (token: string, flowId: string, version: number) =>
    request<AuditEntry[]>(`${base}/audit?flowId=${encodeURIComponent(flowId)}&version=${version}`, { token }),
};
