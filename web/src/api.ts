import type { CallRecord, CustomerLookup, FlowDefinition, FlowSummary, Role } from './protocol.js';

export interface Session {
  token: string;
  role: Role;
  username: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const SESSION_KEY = 'laihua.session';

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

export async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.code ?? 'INTERNAL', body.message ?? response.statusText, body.details);
  return body as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<{ token: string; role: Role }>('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) }),
  flows: (token: string) => request<FlowSummary[]>('/api/flows', { token }),
  flow: (token: string, id: string) => request<FlowDefinition>(`/api/flows/${encodeURIComponent(id)}`, { token }),
  customer: (token: string, msisdn: string) => request<CustomerLookup>(`/api/customers/${encodeURIComponent(msisdn)}`, { token }),
  call: (token: string, id: string) => request<CallRecord>(`/api/calls/${encodeURIComponent(id)}`, { token }),
  replay: (token: string, id: string) =>
    request<{ deterministic: boolean; eventsReplayed: number; divergences: unknown[] }>(`/api/calls/${encodeURIComponent(id)}/replay`, {
      method: 'POST',
      token,
    }),
};
