import type { CallError } from '../../../protocol/errors.js';
import type { Locale } from '../../../protocol/flow-definition.js';
import type { ClientEvent, ClientMessages, ReplyEvents, ServerFrame, ServerMessages } from '../../../protocol/frames.js';

export type ConnectionState = 'online' | 'reconnecting' | 'offline';

/** Close code of a session the server ended (docs/PROTOCOL.md §2). */
const SESSION_ENDED = 4401;

/** A request that got no answer: the socket was not open, or it closed first. The page's own code, never the server's. */
export interface NetworkError {
  requestId: string;
  code: 'NETWORK';
  message: string;
}

export type RequestError = CallError | NetworkError;

/** The frame that answered a request, and when it arrived (performance.now()). */
export interface Reply<E extends ClientEvent> {
  data: ServerMessages[ReplyEvents[E]];
  receivedAt: number;
}

export interface SocketEvents {
  /** A frame that answers none of this socket's requests: a push (a view, a floor snapshot), or an error without a request. */
  onPush?(frame: ServerFrame, receivedAt: number): void;
  onState?(state: ConnectionState): void;
  /** Open again: `reconnected` after a drop (re-attach, subscribe again), false the first time after open(). */
  onOpen?(reconnected: boolean): void;
  /** Given: reconnecting that keeps failing checks the session, and a refused one ends here. */
  onUnauthorized?(): void;
}

const BACKOFF_MS = [200, 500, 1000, 2000, 4000];
const LOCALE_CHANGE = 4001;

interface Pending {
  resolve(reply: { data: unknown; receivedAt: number }): void;
  reject(error: RequestError): void;
}

/**
 * The page's WebSocket (docs/PROTOCOL.md §2): requests matched to their replies by requestId,
 * pushes, and reconnection with back-off. A lost connection never loses a decision: the server
 * logged it before replying, and the page re-attaches (or subscribes) again on reconnect.
 */
export class AppSocket {
  private socket?: WebSocket;
  private readonly pending = new Map<string, Pending>();
  private attempt = 0;
  private closedByUs = false;
  private counter = 0;
  private retry?: ReturnType<typeof setTimeout>;
  state: ConnectionState = 'offline';

  constructor(
    private readonly token: string,
    private locale: Locale,
    private readonly events: SocketEvents,
  ) {}

  /** Resolves when the first connection opens. */
  open(): Promise<void> {
    this.closedByUs = false;
    return new Promise((resolve) => this.connect(resolve));
  }

  close(reason: string): void {
    this.closedByUs = true;
    clearTimeout(this.retry);
    this.socket?.close(1000, reason);
    this.setState('offline');
  }

  /** Reconnects in another locale: texts are rendered by the server in the connection's locale. */
  switchLocale(locale: Locale): void {
    this.locale = locale;
    this.socket?.close(LOCALE_CHANGE, 'locale change');
  }

  /** For tests and the agent's "network fault" drill: drops the socket as a failing network would. */
  drop(): void {
    this.socket?.close(4000, 'dropped');
  }

  /** Sends a message and resolves with the frame that answers it; `call.error` (or no connection) rejects. */
  request<E extends ClientEvent>(event: E, data: Omit<ClientMessages[E], 'requestId'>): Promise<Reply<E>> {
    const requestId = this.nextId();
    return new Promise((resolve, reject) => {
      if (this.state !== 'online' || !this.socket) {
        reject({ requestId, code: 'NETWORK', message: 'not connected' } satisfies NetworkError);
        return;
      }
      this.pending.set(requestId, { resolve: resolve as Pending['resolve'], reject });
      this.socket.send(JSON.stringify({ event, data: { requestId, ...data } }));
    });
  }

  /** Sends a message whose answer nobody waits for (when the socket is open). */
  send<E extends ClientEvent>(event: E, data: Omit<ClientMessages[E], 'requestId'>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ event, data: { requestId: this.nextId(), ...data } }));
  }

  private nextId(): string {
    return `r${Date.now().toString(36)}-${++this.counter}`;
  }

  private connect(onFirstOpen?: () => void): void {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    url.searchParams.set('locale', this.locale);
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const reconnected = this.attempt > 0 || !onFirstOpen;
      this.attempt = 0;
      this.setState('online');
      onFirstOpen?.();
      this.events.onOpen?.(reconnected);
    };
    socket.onmessage = (message) => this.receive(String(message.data), performance.now());
    socket.onclose = (closed) => {
      if (this.socket !== socket) return;
      for (const [requestId, p] of this.pending) p.reject({ requestId, code: 'NETWORK', message: 'connection lost' });
      this.pending.clear();
      if (this.closedByUs) return;
      // 4401: the server ended the session (user changed, token expired): sign in again, do not retry.
      if (closed.code === SESSION_ENDED && this.events.onUnauthorized) {
        this.close('session ended');
        this.events.onUnauthorized();
        return;
      }
      this.setState('reconnecting');
      const delay = closed.code === LOCALE_CHANGE ? 0 : BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      this.attempt++;
      if (!opened && this.attempt % 3 === 0 && this.events.onUnauthorized) void this.checkSession();
      this.retry = setTimeout(() => {
        if (!this.closedByUs) this.connect();
      }, delay);
    };
  }

  private async checkSession(): Promise<void> {
    const response = await fetch('/api/flows', { headers: { authorization: `Bearer ${this.token}` } }).catch(() => null);
    if (response?.status === 401) {
      this.close('session ended');
      this.events.onUnauthorized?.();
    }
  }

  private receive(raw: string, receivedAt: number): void {
    const frame = JSON.parse(raw) as ServerFrame;
    const requestId = (frame.data as { requestId?: unknown }).requestId;
    const pending = typeof requestId === 'string' ? this.pending.get(requestId) : undefined;
    if (!pending) return this.events.onPush?.(frame, receivedAt);
    this.pending.delete(requestId as string);
    if (frame.event === 'call.error') pending.reject(frame.data);
    else pending.resolve({ data: frame.data, receivedAt });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.events.onState?.(state);
  }
}
