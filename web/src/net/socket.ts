import type { CallError, CallView, Locale } from '../protocol.js';

export type ConnectionState = 'online' | 'reconnecting' | 'offline';

interface Pending {
  resolve: (view: CallView) => void;
  reject: (error: CallError) => void;
}

export interface ConnectionEvents {
  /** A view the server pushed by itself (back-end reply, timeout) or sent for another tab's decision. */
  onView(view: CallView, receivedAt: number): void;
  onState(state: ConnectionState): void;
  /** After a reconnect: re-attach to whatever call is open. */
  onReconnected(): void;
  /** A reconnect failed because the session is no longer valid. */
  onUnauthorized(): void;
}

const BACKOFF_MS = [200, 500, 1000, 2000, 4000];

/**
 * The agent screen's WebSocket: request/response by requestId, pushes, and reconnection with
 * back-off. A lost connection never loses a decision: the server logged it before replying, and
 * the screen re-attaches to the call at the step the log says it is at.
 */
export class CallConnection {
  private socket?: WebSocket;
  private readonly pending = new Map<string, Pending>();
  private attempt = 0;
  private closedByUs = false;
  private counter = 0;
  state: ConnectionState = 'offline';

  constructor(
    private readonly token: string,
    private locale: Locale,
    private readonly events: ConnectionEvents,
  ) {}

  open(): Promise<void> {
    this.closedByUs = false;
    return new Promise((resolve) => this.connect(resolve));
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close(1000, 'closed by the screen');
    this.setState('offline');
  }

  /** Reconnects in another locale: scripts are rendered by the server for the connection's locale. */
  switchLocale(locale: Locale): void {
    this.locale = locale;
    this.socket?.close(4001, 'locale change');
  }

  /** For tests and for the agent's "reconnect" button: drops the socket as a network fault would. */
  drop(): void {
    this.socket?.close(4000, 'dropped');
  }

  request(event: string, data: Record<string, unknown>): Promise<CallView> {
    const requestId = `r${Date.now().toString(36)}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      if (this.state !== 'online' || !this.socket) {
        reject({ requestId, code: 'NETWORK', message: 'not connected' });
        return;
      }
      this.pending.set(requestId, { resolve, reject });
      this.socket.send(JSON.stringify({ event, data: { requestId, ...data } }));
    });
  }

  private connect(onOpen?: () => void): void {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    url.searchParams.set('locale', this.locale);
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const reconnected = this.attempt > 0 || !onOpen;
      this.attempt = 0;
      this.setState('online');
      if (onOpen) onOpen();
      if (reconnected) this.events.onReconnected();
    };
    socket.onmessage = (message) => this.receive(String(message.data), performance.now());
    socket.onclose = (closed) => {
      if (this.socket !== socket) return;
      for (const [id, p] of this.pending) p.reject({ requestId: id, code: 'NETWORK', message: 'connection lost' });
      this.pending.clear();
      if (this.closedByUs) return;
      this.setState('reconnecting');
      const localeChange = closed.code === 4001;
      const delay = localeChange ? 0 : BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      this.attempt++;
      if (!opened && this.attempt % 3 === 0) void this.checkSession();
      setTimeout(() => {
        if (!this.closedByUs) this.connect();
      }, delay);
    };
  }

  private async checkSession(): Promise<void> {
    const response = await fetch('/api/flows', { headers: { authorization: `Bearer ${this.token}` } }).catch(() => null);
    if (response?.status === 401) {
      this.close();
      this.events.onUnauthorized();
    }
  }

  private receive(raw: string, receivedAt: number): void {
    const frame = JSON.parse(raw) as { event: string; data: CallView | CallError };
    const requestId = frame.data.requestId;
    const pending = requestId ? this.pending.get(requestId) : undefined;
    if (pending && requestId) this.pending.delete(requestId);
    if (frame.event === 'call.view') {
      const view = frame.data as CallView;
      view.receivedAt = receivedAt;
      if (pending) pending.resolve(view);
      else this.events.onView(view, receivedAt);
    } else if (frame.event === 'call.error') {
      const error = frame.data as CallError;
      if (pending) pending.reject(error);
      else console.warn('call.error without a request', error);
    }
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.events.onState(state);
  }
}
