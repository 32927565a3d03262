/** The HTTP API as the tests call it: requests, login, a call and its replay. */
import { expectDocumented } from './openapi-check';

export interface HttpResult {
  status: number;
  body: any;
  text: string;
}

/** One request; its answer must be one the OpenAPI document describes (test/support/openapi-check.ts), or the test fails. */
export async function http(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  await expectDocumented(baseUrl, method, path, { status: res.status, contentType: res.headers.get('content-type'), text });
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body, text };
}

/** POST /api/auth/login → the bearer token. */
export async function login(baseUrl: string, username: string, password = 'demo'): Promise<string> {
  const res = await http(baseUrl, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status < 200 || res.status > 299 || typeof res.body?.token !== 'string') {
    throw new Error(`login as ${username} failed: HTTP ${res.status} ${res.text}`);
  }
  return res.body.token as string;
}

/** GET /api/calls/:id, which must answer 200. */
export async function getCall(baseUrl: string, token: string, callId: string): Promise<any> {
  const res = await http(baseUrl, 'GET', `/api/calls/${encodeURIComponent(callId)}`, { token });
  if (res.status !== 200) throw new Error(`GET /api/calls/${callId}: HTTP ${res.status} ${res.text}`);
  return res.body;
}

/** POST /api/calls/:id/replay, which must answer 2xx. */
export async function replayCall(baseUrl: string, token: string, callId: string): Promise<any> {
  const res = await http(baseUrl, 'POST', `/api/calls/${encodeURIComponent(callId)}/replay`, { token });
  if (res.status < 200 || res.status > 299) {
    throw new Error(`POST /api/calls/${callId}/replay: HTTP ${res.status} ${res.text}`);
  }
  return res.body;
}

/** Every finished call must replay deterministically over its whole log, with its hash chain intact. */
export async function expectDeterministicReplay(baseUrl: string, token: string, callId: string): Promise<any> {
  const call = await getCall(baseUrl, token, callId);
  const result = await replayCall(baseUrl, token, callId);
  expect(result).toEqual(
    expect.objectContaining({
      callId,
      deterministic: true,
      eventsReplayed: call.events.length,
      divergences: [],
      chain: { intact: true, brokenAt: null },
    }),
  );
  return result;
}
