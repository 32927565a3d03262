import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/* ------------------------------------------------------------------ frames */

export interface Frame<D = any> {
  event: string;
  data: D;
}

export interface StepView {
  id: string;
  title?: string;
  script?: string;
  rules?: any[];
  prompts?: any[];
  offers?: any[];
  options?: any[];
  [key: string]: any;
}

export interface ViewData {
  requestId?: string | null;
  callId: string;
  seq: number;
  status: string;
  outcome?: string | null;
  outcomeDetail?: any;
  step: StepView;
  [key: string]: any;
}

export interface ErrorData {
  requestId?: string | null;
  code: string;
  message?: string;
  details?: unknown;
  [key: string]: any;
}

export type ViewFrame = Frame<ViewData>;
export type ErrorFrame = Frame<ErrorData>;

/* -------------------------------------------------------------------- HTTP */

export interface HttpResult {
  status: number;
  body: any;
  text: string;
}

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

/* --------------------------------------------------------------- WebSocket */

interface Waiter {
  pred: (f: Frame) => boolean;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

let requestCounter = 0;

export function wsUrl(port: number, token?: string, locale?: string): string {
  const params = new URLSearchParams();
  if (token !== undefined) params.set('token', token);
  if (locale !== undefined) params.set('locale', locale);
  const qs = params.toString();
  return `ws://127.0.0.1:${port}/ws${qs ? `?${qs}` : ''}`;
}

export class HandshakeError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * Outcome of a raw handshake attempt: the HTTP status when the server refuses the upgrade
 * ('unexpected-response'), or 'open' when it accepts.
 */
export function tryHandshake(url: string, timeoutMs = 5000): Promise<{ status: number | 'open'; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`handshake to ${url} neither opened nor was refused within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('error', () => {
      /* expected after we abort a refused handshake */
    });
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close();
      resolve({ status: 'open', body: '' });
    });
    ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      clearTimeout(timer);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      const done = () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      };
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
  });
}

export class WsClient {
  /** Every frame received, in order (for debugging). */
  readonly history: Frame[] = [];
  private buffer: Frame[] = [];
  private waiters: Waiter[] = [];
  private closedInfo: string | undefined;

  private constructor(
    readonly ws: WebSocket,
    readonly url: string,
  ) {
    ws.on('message', (raw: WebSocket.RawData) => this.onMessage(raw.toString()));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closedInfo = `closed (code ${code}${reason.length ? `, ${reason.toString()}` : ''})`;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`WebSocket ${this.closedInfo} while waiting; received: ${this.describeHistory()}`));
      }
    });
    ws.on('error', () => {
      /* reported through 'close' */
    });
  }

  static connect(port: number, token?: string, locale?: string, timeoutMs = 5000): Promise<WsClient> {
    const url = wsUrl(port, token, locale);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new WsClient(ws, url); // listen for frames from the very first one
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new HandshakeError(`WebSocket ${url} did not open within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
        clearTimeout(timer);
        req.destroy();
        reject(new HandshakeError(`WebSocket handshake to ${url} refused: HTTP ${res.statusCode}`, res.statusCode));
      });
      ws.once('error', (e: Error) => {
        clearTimeout(timer);
        reject(new HandshakeError(`WebSocket ${url} failed: ${e.message}`));
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(event: string, data: unknown): void {
    this.sendRaw(JSON.stringify({ event, data }));
  }

  sendRaw(text: string): void {
    if (!this.isOpen) throw new Error(`cannot send on ${this.url}: ${this.closedInfo ?? 'not open'}`);
    this.ws.send(text);
  }

  /** Resolve with (and consume) the first buffered or future frame matching pred. */
  next(pred: (f: Frame) => boolean, timeoutMs = 5000, what = 'a frame'): Promise<Frame> {
    const i = this.buffer.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.buffer.splice(i, 1)[0]);
    if (this.closedInfo) {
      return Promise.reject(new Error(`WebSocket already ${this.closedInfo}; waiting for ${what}; received: ${this.describeHistory()}`));
    }
    return new Promise<Frame>((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}.\n` +
                `  unconsumed frames: ${JSON.stringify(this.buffer.map(summarise))}\n` +
                `  last frames received: ${this.describeHistory()}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Send {event, data + requestId} and resolve with the reply carrying that requestId. */
  request<D = any>(event: string, data: Record<string, unknown> = {}, timeoutMs = 5000): Promise<Frame<D>> {
    const requestId = `req-${process.pid}-${++requestCounter}-${Math.random().toString(36).slice(2, 8)}`;
    const reply = this.next((f) => !!f.data && typeof f.data === 'object' && f.data.requestId === requestId, timeoutMs, `the reply to ${event} ${requestId}`);
    this.send(event, { ...data, requestId });
    return reply as Promise<Frame<D>>;
  }

  /** Next server-pushed call.view (one without a requestId), optionally matching pred. */
  nextPush(pred?: (f: ViewFrame) => boolean, timeoutMs = 5000): Promise<ViewFrame> {
    return this.next(
      (f) => f.event === 'call.view' && !!f.data && (f.data.requestId === undefined || f.data.requestId === null) && (!pred || pred(f as ViewFrame)),
      timeoutMs,
      'a pushed call.view',
    ) as Promise<ViewFrame>;
  }

  close(): Promise<void> {
    const ws = this.ws;
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close();
    });
  }

  private onMessage(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
      if (!frame || typeof frame !== 'object') frame = { event: '(non-object)', data: frame };
    } catch {
      frame = { event: '(unparseable)', data: text };
    }
    this.history.push(frame);
    const w = this.waiters.find((x) => x.pred(frame));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      clearTimeout(w.timer);
      w.resolve(frame);
    } else {
      this.buffer.push(frame);
    }
  }

  private describeHistory(n = 8): string {
    return JSON.stringify(this.history.slice(-n).map(summarise));
  }
}

/** A short, readable summary of a frame for error messages. */
export function summarise(f: Frame): unknown {
  if (f && f.event === 'call.view' && f.data && typeof f.data === 'object') {
    const d = f.data as ViewData;
    return {
      event: f.event,
      requestId: d.requestId,
      callId: d.callId,
      seq: d.seq,
      status: d.status,
      outcome: d.outcome,
      step: d.step?.id,
      options: optionIdsOf(d.step),
    };
  }
  return f;
}

function optionIdsOf(step: StepView | undefined): unknown {
  if (!step || !Array.isArray(step.options)) return step?.options;
  return step.options.map((o: any) => (typeof o === 'string' ? o : o?.id));
}

/** The ids of a view's options (options are {id, label, ...}; plain strings accepted too). */
export function optionIds(view: ViewFrame): string[] {
  const ids = optionIdsOf(view.data.step);
  if (!Array.isArray(ids)) throw new Error(`view has no options array: ${JSON.stringify(view.data.step)}`);
  return ids as string[];
}

export function describeFrame(f: Frame): string {
  return JSON.stringify(f, null, 1).slice(0, 4000);
}

/** Expect a call.view frame (fails with the frame received otherwise). */
export function asView(f: Frame, context = ''): ViewFrame {
  if (f.event !== 'call.view') {
    throw new Error(`${context ? `${context}: ` : ''}expected call.view, got ${describeFrame(f)}`);
  }
  return f as ViewFrame;
}

/** Expect a call.error frame with the given code. */
export function expectError(f: Frame, code: string, context = ''): ErrorFrame {
  if (f.event !== 'call.error' || f.data?.code !== code) {
    throw new Error(`${context ? `${context}: ` : ''}expected call.error ${code}, got ${describeFrame(f)}`);
  }
  return f as ErrorFrame;
}

/** call.decide on the view's call at the view's seq; fails the test if the reply is not a view. */
export async function drive(client: WsClient, view: ViewFrame, option: string, input?: Record<string, unknown>): Promise<ViewFrame> {
  const data: Record<string, unknown> = { callId: view.data.callId, seq: view.data.seq, option };
  if (input !== undefined) data.input = input;
  const reply = await client.request('call.decide', data);
  return asView(reply, `decide '${option}' at step '${view.data.step?.id}' (seq ${view.data.seq})`);
}

/** The next pushed view whose step.id is stepId (optionally of one call). */
export function waitForStep(client: WsClient, stepId: string, opts: { callId?: string; timeoutMs?: number } = {}): Promise<ViewFrame> {
  return client.nextPush((f) => f.data.step?.id === stepId && (opts.callId === undefined || f.data.callId === opts.callId), opts.timeoutMs ?? 5000);
}
