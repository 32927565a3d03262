import { Injectable, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { bindSocketUser } from '../auth/socket-user';
import { AppError } from '../common/app-error';
import type { FloorSubscriber } from '../floor';
import { type Locale, LOCALES } from '../flows/flow-definition';
import { PrometheusMetrics } from '../observability/prometheus-metrics';

/** Who is on a WebSocket connection, fixed at the handshake. */
export interface Session {
  user: AuthUser;
  locale: Locale;
  /** When the token it opened with expires (epoch ms): checked, with the user's row, on every frame and every few seconds. */
  expiresAt: number;
}

/** One open connection and everything the server keeps about it while it is open. */
export interface Connection extends Session {
  readonly socket: WebSocket;
  /** The calls whose views are pushed to it: those started, decided or attached on it. */
  readonly calls: Set<string>;
  /** Its live-floor subscription handle, made on its first `floor.*` message. */
  floor?: FloorSubscriber;
  /** Takes its user off the floor's "online" list; called once, when it closes. */
  offline?: () => void;
}

export function localeFrom(value: string | null): Locale {
  return LOCALES.includes(value as Locale) ? (value as Locale) : 'zh-CN';
}

/** What a user or a call without connections has (shared, never written). */
const NONE: ReadonlySet<Connection> = new Set();

/**
 * The one session store of the WebSocket: the session verified at the handshake, then the open
 * connection with the calls it watches, which connections watch each call (for pushes), and each
 * user's connections (screen pops).
 */
@Injectable()
export class Connections {
  /** Sessions verified at the handshake, until their socket opens (keyed by the upgrade request). */
  private readonly handshakes = new WeakMap<IncomingMessage, Session>();
  private readonly open = new Map<WebSocket, Connection>();
  private readonly watchers = new Map<string, Set<Connection>>();
  /** Open connections by username (a screen pop finds its agent's screens without a scan of every socket). */
  private readonly byUsername = new Map<string, Set<Connection>>();

  constructor(@Optional() metrics?: PrometheusMetrics) {
    metrics?.bind({ wsConnections: () => this.open.size });
  }

  /** The handshake verified this session (src/realtime/app-ws-adapter.ts). */
  admit(request: IncomingMessage, session: Session): void {
    this.handshakes.set(request, session);
  }

  /** The session of a handshake, before its connection is registered (per-user rate limits). */
  handshakeOf(request: IncomingMessage): Session | undefined {
    return this.handshakes.get(request);
  }

  /** Registers an opened socket under its handshake's session; undefined when there was none. */
  connect(socket: WebSocket, request: IncomingMessage): Connection | undefined {
    const session = this.handshakes.get(request);
    if (!session) return undefined;
    const connection: Connection = { socket, user: session.user, locale: session.locale, expiresAt: session.expiresAt, calls: new Set() };
    bindSocketUser(socket, session.user);
    this.open.set(socket, connection);
    let mine = this.byUsername.get(session.user.username);
    if (!mine) this.byUsername.set(session.user.username, (mine = new Set()));
    mine.add(connection);
    return connection;
  }

  /** The connection of a socket, if it is registered. */
  find(socket: WebSocket): Connection | undefined {
    return this.open.get(socket);
  }

  /** Every open connection (the periodic session re-check). */
  all(): IterableIterator<Connection> {
    return this.open.values();
  }

  /** The open connections of one user. */
  ofUsername(username: string): ReadonlySet<Connection> {
    return this.byUsername.get(username) ?? NONE;
  }

  /** The connection of a socket; UNAUTHORIZED when it has none (it never passed the handshake). */
  of(socket: WebSocket): Connection {
    const connection = this.open.get(socket);
    if (!connection) throw new AppError('UNAUTHORIZED', 'No session on this connection');
    return connection;
  }

  /** Forgets a closed socket, and it as a watcher of its calls; returns what it was. */
  disconnect(socket: WebSocket): Connection | undefined {
    const connection = this.open.get(socket);
    if (!connection) return undefined;
    this.open.delete(socket);
    const mine = this.byUsername.get(connection.user.username);
    mine?.delete(connection);
    if (mine?.size === 0) this.byUsername.delete(connection.user.username);
    for (const callId of connection.calls) {
      const set = this.watchers.get(callId);
      set?.delete(connection);
      if (set?.size === 0) this.watchers.delete(callId);
    }
    return connection;
  }

  /** From now on the connection is sent the call's views pushed by the engine or other connections. */
  watch(connection: Connection, callId: string): void {
    if (this.open.get(connection.socket) !== connection) return; // closed while its message was handled
    let set = this.watchers.get(callId);
    if (!set) this.watchers.set(callId, (set = new Set()));
    set.add(connection);
    connection.calls.add(callId);
  }

  watchersOf(callId: string): ReadonlySet<Connection> {
    return this.watchers.get(callId) ?? NONE;
  }

  /** The call has ended: nothing more will be pushed for it. */
  unwatch(callId: string): void {
    this.watchers.delete(callId);
  }

  get size(): number {
    return this.open.size;
  }
}
