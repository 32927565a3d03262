import type { ConnectionState } from '../net/socket.js';
import type { Locale } from '../protocol.js';
import type { FloorSnapshot } from './floor-types.js';

export interface FloorEvents {
  onSnapshot(snapshot: FloorSnapshot, receivedAt: number): void;
  onState(state: ConnectionState): void;
  onError(code: string, message: string): void;
}

const BACKOFF_MS = [200, 500, 1000, 2000, 4000];

/** The live floor's own WebSocket: subscribes on every (re)connect, then only listens. */
export class FloorConnection {
  private socket?: WebSocket;
  private attempt = 0;
  private closed = false;
  private counter = 0;
  private retry?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly token: string,
    private readonly locale: Locale,
    private readonly events: FloorEvents,
  ) {}

  open(): void {
    this.closed = false;
    this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ event: 'floor.unsubscribe', data: { requestId: this.nextId() } }));
    socket?.close(1000, 'floor closed');
    this.events.onState('offline');
  }

  private nextId(): string {
    return `floor-${Date.now().toString(36)}-${++this.counter}`;
  }

  private connect(): void {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    url.searchParams.set('locale', this.locale);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.events.onState('online');
      socket.send(JSON.stringify({ event: 'floor.subscribe', data: { requestId: this.nextId() } }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as { event: string; data: Record<string, unknown> };
      if (frame.event === 'floor.snapshot') this.events.onSnapshot(frame.data as unknown as FloorSnapshot, performance.now());
      else if (frame.event === 'call.error') this.events.onError(String(frame.data.code), String(frame.data.message));
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      this.events.onState('reconnecting');
      const delay = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
      this.retry = setTimeout(() => {
        if (!this.closed) this.connect();
      }, delay);
    };
  }
}
