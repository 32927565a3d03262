/** A test's WebSocket to the server: raw handshakes, a client that waits for frames, and driving a call over it. */
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { asView, type Frame, summarise, type ViewFrame } from './frames';

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
