import type { CallView, Locale, LocalizedText } from '../protocol.js';

/** The QA HTTP API (src/qa/qa.controller.ts), as the QA pages use it. */

export interface FoundCall {
  id: string;
  agent: string;
  callerNumber: string;
  flowId: string;
  flowVersion: number;
  businesses: string[];
  status: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  failedChecks: string[];
}

export interface CallPage {
  total: number;
  page: number;
  pageSize: number;
  calls: FoundCall[];
}

/** The finder's filters, as query parameters (empty ones are left out). */
export type CallFilter = Partial<
  Record<'agent' | 'flowId' | 'version' | 'outcome' | 'status' | 'from' | 'to' | 'msisdn' | 'failedCheck' | 'minDurationMs' | 'maxDurationMs', string>
>;

export interface TimelineEntry {
  index: number;
  seq: number;
  segment: number;
  flowId: string;
  flowVersion: number;
  variant: string | null;
  stepId: string;
  lane: string;
  marks: string[];
  final: boolean;
  view: CallView;
  enteredAt: string;
  leftAt: string | null;
  durationMs: number | null;
  action: {
    type: 'decision' | 'backend.reply' | 'timeout' | 'call.hangup';
    seq: number;
    at: string;
    option?: string;
    input?: Record<string, unknown>;
    confirmedPrompts?: string[];
    reply?: { operation: string; ok: boolean; output?: unknown; error?: unknown; latencyMs?: number };
    leftStep: boolean;
  } | null;
  wait: boolean;
}

export interface CheckResult {
  id: string;
  title: LocalizedText;
  passed: boolean;
  applicable: boolean;
  findings: { seq: number; stepId: string; message: string }[];
}

export interface Replay {
  call: {
    id: string;
    agentId: string;
    callerNumber: string;
    flowId: string;
    flowVersion: number;
    status: string;
    outcome: string | null;
    startedAt: string;
    endedAt: string | null;
  };
  verification: {
    deterministic: boolean;
    eventsReplayed: number;
    divergences: { seq: number; field: string; expected: unknown; actual: unknown }[];
    /** Being added on another branch: shown when present. */
    chain?: { intact: boolean; brokenAt?: { seq: number; reason: string } | null };
  };
  timeline: {
    entries: TimelineEntry[];
    deterministic: boolean;
    divergence: { seq: number; field: string; expected: unknown; actual: unknown } | null;
    totals: { durationMs: number; waitMs: number; agentMs: number; steps: number; businesses: { flowId: string; version: number; outcome: string | null }[] };
  };
  checks: CheckResult[];
}

export interface Criterion {
  id: string;
  title: LocalizedText;
  guide?: LocalizedText;
  weight: number;
  max: number;
  auto?: string[];
}

export interface ScorecardForm {
  version: number;
  criteria: Criterion[];
}

export type Marks = Record<string, { score?: number; comment?: string }>;

export interface Scorecard {
  id: string;
  callId: string;
  agentId: string;
  reviewer: string;
  formVersion: number;
  marks: Marks;
  score: {
    criteria: { id: string; score: number; max: number; weight: number; source: 'reviewer' | 'auto' | 'override'; comment: string | null }[];
    total: number;
  };
  total: number;
  comment: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface Revision {
  revision: number;
  reviewer: string;
  at: string;
  content: Scorecard;
}

export type FieldProblems = { field: string; problems: string[] }[];

export class QaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** VALIDATION_FAILED details: which field, what is wrong. */
  get fields(): FieldProblems {
    return Array.isArray(this.details) ? (this.details as FieldProblems).filter((d) => d && typeof d.field === 'string') : [];
  }
}

async function request<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body) headers['content-type'] = 'application/json';
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new QaApiError(response.status, body.code ?? 'INTERNAL', body.message ?? response.statusText, body.details);
  return body as T;
}

export function filterQuery(filter: CallFilter, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') params.set(k, v);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return params.toString();
}

const enc = encodeURIComponent;

export const qaApi = {
  findCalls: (token: string, filter: CallFilter, page: number, pageSize: number) =>
    request<CallPage>(token, `/api/qa/calls?${filterQuery(filter, { page, pageSize })}`),
  replay: (token: string, callId: string, locale: Locale) => request<Replay>(token, `/api/qa/calls/${enc(callId)}/replay?locale=${locale}`),
  form: (token: string) => request<ScorecardForm>(token, '/api/qa/scorecard-form'),
  scorecards: (token: string, callId: string) => request<Scorecard[]>(token, `/api/qa/calls/${enc(callId)}/scorecards`),
  revisions: (token: string, id: string) => request<Revision[]>(token, `/api/qa/scorecards/${enc(id)}/revisions`),
  create: (token: string, callId: string, marks: Marks, comment: string) =>
    request<Scorecard>(token, `/api/qa/calls/${enc(callId)}/scorecards`, { method: 'POST', body: JSON.stringify({ marks, comment }) }),
  revise: (token: string, id: string, revision: number, marks: Marks, comment: string) =>
    request<Scorecard>(token, `/api/qa/scorecards/${enc(id)}`, { method: 'PUT', body: JSON.stringify({ revision, marks, comment }) }),
  mine: (token: string) => request<Scorecard[]>(token, '/api/qa/my-scorecards'),
  /** The raw text of one page of the search (CSV or JSON), with the bearer token. */
  async exportPage(token: string, filter: CallFilter, format: 'csv' | 'json', page: number, pageSize: number): Promise<string> {
    const response = await fetch(`/api/qa/calls?${filterQuery(filter, { page, pageSize, format })}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (!response.ok) {
      const body = (() => {
        try {
          return JSON.parse(text);
        } catch {
          return {};
        }
      })();
      throw new QaApiError(response.status, body.code ?? 'INTERNAL', body.message ?? response.statusText, body.details);
    }
    return text;
  },
};
