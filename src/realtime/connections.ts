import { Injectable, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { bindSocketUser } from '../auth/socket-user';
import { AppError } from '../common/app-error';
import { addTo, membersOf, type OneOrMany, OneOrManyMap, removeFrom } from '../common/one-or-many';
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
  /** The calls whose views are pushed to it: those started, decided or attached on it (mostly one: common/one-or-many.ts). */
  calls: OneOrMany<string>;
  /** Its live-floor subscription handle, made on its first `floor.*` message. */
  floor?: FloorSubscriber;
  /** Takes its user off the floor's "online" list; called once, when it closes. */
  offline?: () => void;
}

export function localeFrom(value: string | null): Locale {
  return LOCALES.includes(value as Locale) ? (value as Locale) : 'zh-CN';
}

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
  private readonly watchers = new OneOrManyMap<string, Connection>();
  /** Open connections by username (a screen pop finds its agent's screens without a scan of every socket). */
  private readonly byUsername = new OneOrManyMap<string, Connection>();

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
    const connection: Connection = { socket, user: session.user, locale: session.locale, expiresAt: session.expiresAt, calls: undefined };
    bindSocketUser(socket, session.user);
    this.open.set(socket, connection);
    this.byUsername.add(session.user.username, connection);
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
  ofUsername(username: string): Iterable<Connection> {
    return this.byUsername.membersOf(username);
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
    this.byUsername.remove(connection.user.username, connection);
    for (const callId of membersOf(connection.calls)) this.watchers.remove(callId, connection);
    return connection;
  }

  /** From now on the connection is sent the call's views pushed by the engine or other connections. */
  watch(connection: Connection, callId: string): void {
    if (this.open.get(connection.socket) !== connection) return; // closed while its message was handled
    this.watchers.add(callId, connection);
    connection.calls = addTo(connection.calls, callId);
  }

  watchersOf(callId: string): Iterable<Connection> {
    return this.watchers.membersOf(callId);
  }

  /** The call has ended: nothing more will be pushed for it, and its watchers no longer list it. */
  unwatch(callId: string): void {
    for (const connection of this.watchers.membersOf(callId)) connection.calls = removeFrom(connection.calls, callId);
    this.watchers.clear(callId);
  }

  get size(): number {
    return this.open.size;
  }
}
