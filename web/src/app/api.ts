import type { LoginRequest, LoginResponse, LoginResult, SsoOptions } from '../../../protocol/auth.js';
import type { CallWithEvents } from '../../../protocol/calls.js';
import type { CustomerLookup } from '../../../protocol/customers.js';
import type { ErrorBody, ErrorCode, FieldProblem } from '../../../protocol/errors.js';
import type { FlowDefinition } from '../../../protocol/flow-definition.js';
import type { FlowSummary } from '../../../protocol/flows.js';

/** The signed-in user as the page keeps it: the login reply and who signed in. */
export type Session = LoginResponse & { username: string };

/** An HTTP error as the server reports it (`{code, message, details?}`, docs/PROTOCOL.md §5). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** VALIDATION_FAILED details: which field, what is wrong. */
  get fields(): FieldProblem[] {
    return Array.isArray(this.details) ? (this.details as FieldProblem[]).filter((d) => d && typeof d.field === 'string') : [];
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

const errorOf = (response: Response, body: Partial<ErrorBody>) =>
  new ApiError(response.status, body.code ?? 'INTERNAL', body.message ?? response.statusText, body.details);

/** A JSON request, with the bearer token when given; a refusal throws ApiError. */
export async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw errorOf(response, body);
  return body as T;
}

/** A reply read as text (a CSV or JSON export), with the bearer token; a refusal throws ApiError. */
export async function requestText(path: string, token: string): Promise<{ text: string; headers: Headers }> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) {
    const body = (() => {
      try {
        return JSON.parse(text);
      } catch {
        return {};
      }
    })();
    throw errorOf(response, body);
  }
  return { text, headers: response.headers };
}

/** Query parameters in the order given; empty ones are left out. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
  return query.toString();
}

const enc = encodeURIComponent;

export const api = {
  ssoOptions: () => request<SsoOptions>('/api/auth/oidc/options'),
  login: (body: LoginRequest) => request<LoginResult>('/api/auth/login', { method: 'POST', body: JSON.stringify(body) }),
  /** Ends every session of the user on the server (this token, their other tabs' and desks'). */
  logout: (token: string) => request<unknown>('/api/auth/logout', { method: 'POST', token, signal: AbortSignal.timeout(5_000) }),
  flows: (token: string) => request<FlowSummary[]>('/api/flows', { token }),
  flow: (token: string, id: string) => request<FlowDefinition>(`/api/flows/${enc(id)}`, { token }),
  customer: (token: string, msisdn: string) => request<CustomerLookup>(`/api/customers/${enc(msisdn)}`, { token }),
  call: (token: string, id: string) => request<CallWithEvents>(`/api/calls/${enc(id)}`, { token }),
};
