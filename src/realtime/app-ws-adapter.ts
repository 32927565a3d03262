import { type INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import { EMPTY, type Observable } from 'rxjs';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { AuthService } from '../auth/auth.service';
import { AppError } from '../common/app-error';
import { jsonShapeProblem } from '../common/json-shape';
import { ObjectMemo } from '../common/object-memo';
import { badShape } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { Connections, localeFrom } from './connections';
import { releaseFrameMask } from './frame-mask';
import { errorFrame, isOpen, type ServerFrame, sendFrame } from './frames';
import { type HandlerCallback, type HandlerTable, HandlerTables, type MessageHandler, type ResultTransform, type UnboundHandler } from './handler-tables';
import { type ConnectionLimiter, WsRateLimiter } from './rate-limit';
import { CLOSE_SESSION_ENDED, sessionHolds } from './session-check';
import { shareGatewayHandlers, type SharedHandlersAdapter } from './shared-handlers';

/**
 * What the adapter keeps for one connection: its limits from the handshake on; once Nest subscribed it,
 * its gateway's handler table (and only where Nest bound them to it, its handlers' callbacks in the
 * table's order) and Nest's own listener for its close.
 */
interface ConnectionState {
  limiter?: ConnectionLimiter;
  table?: HandlerTable;
  callbacks?: HandlerCallback[];
  disconnected?: (...args: unknown[]) => void;
}

/** What `ws` hands the adapter per frame: text arrives as a string, a binary frame as a Buffer. */
interface IncomingFrame {
  data: unknown;
  target?: WebSocket;
}

/** Close codes (RFC 6455 §7.4.1) this server uses on its own; `ws` itself sends 1007 (invalid UTF-8) and 1009 (too big). */
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_POLICY_VIOLATION = 1008;

const requestIdOf = (message: unknown): unknown => {
  const data = (message as { data?: unknown } | null)?.data;
  return typeof data === 'object' && data !== null ? (data as { requestId?: unknown }).requestId : undefined;
};

/**
 * The plain `ws` adapter, plus what the protocol promises and the stock adapter drops silently:
 * a 401 at the handshake without a valid token, typed errors for frames that are not JSON,
 * not `{event, data}`, or name an unknown event, a frame size limit, and per-connection and
 * per-user rate limits (docs/PROTOCOL.md §2, docs/RELIABILITY.md).
 */
export class AppWsAdapter extends WsAdapter implements SharedHandlersAdapter {
  private readonly auth: AuthService;
  private readonly config: AppConfig;
  private readonly connections: Connections;
  private readonly limiter: WsRateLimiter;
  /**
   * Each connection's rate limiter, its handlers' callbacks as Nest bound them and Nest's close listener
   * (the listeners below and the handler tables are shared by every connection: idle calls' memory,
   * docs/PERFORMANCE.md, twenty-eighth session). One record, kept on the connection, not in WeakMaps
   * (common/object-memo.ts: a mark-compact settles every WeakMap entry in its pause).
   */
  private readonly perConnection = new ObjectMemo<WebSocket, ConnectionState>('connection state');
  private readonly handlerTables = new HandlerTables();
  /**
   * The open sockets, terminated at shutdown (close). `ws` tracks them itself with a `close` listener of
   * its own per socket (a closure and a list of listeners per connection, ~140 B); this set is kept by
   * the one shared listener below instead, so `ws`'s tracking is off.
   */
  private readonly sockets = new Set<WebSocket>();
  private readonly wsLogger = new Logger('WS');
  private readonly onClientClose: (this: WebSocket, ...args: unknown[]) => void;
  private readonly onClientError: (this: WebSocket, e: Error & { code?: string }) => void;
  private readonly onClientMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;

  constructor(app: INestApplicationContext) {
    super(app);
    shareGatewayHandlers();
    this.auth = app.get(AuthService);
    this.config = app.get(AppConfig);
    this.connections = app.get(Connections);
    this.limiter = app.get(WsRateLimiter);
    // `ws` calls a listener with `this` set to the connection: one function serves them all.
    const { perConnection, wsLogger, sockets } = this;
    // One listener for the open sockets, the limiter and Nest: a second one makes a list of listeners
    // per connection, a third grows it to ~20 slots.
    this.onClientClose = function (this: WebSocket, ...args: unknown[]) {
      sockets.delete(this);
      const state = perConnection.get(this);
      state?.limiter?.release();
      state?.disconnected?.(...args);
    };
    this.onClientError = function (this: WebSocket, e: Error & { code?: string }) {
      if (e.code?.startsWith('WS_ERR_')) wsLogger.debug(`client closed for ${e.code}`);
      else wsLogger.error(e);
    };
    const handleFrame = this.handleFrame.bind(this);
    const error = (e: unknown) => wsLogger.error(e);
    const receive = (client: WebSocket, data: RawData, isBinary: boolean) => {
      const state = perConnection.get(client);
      const table = state?.table;
      if (!table) return;
      const callbacks = state.callbacks;
      // What ws's own MessageEvent carries: text as a string, binary as it came.
      const frame: IncomingFrame = { data: isBinary ? data : data.toString(), target: client };
      const send = (response: unknown) => {
        if (response !== undefined && response !== null && isOpen(client)) client.send(JSON.stringify(response));
      };
      handleFrame(frame, (event) => table.callbackOf(client, callbacks, event), table.transform).subscribe({ next: send, error });
    };
    this.onClientMessage = function (this: WebSocket, data: RawData, isBinary: boolean) {
      releaseFrameMask(this);
      receive(this, data, isBinary);
    };
  }

  override create(port: number, options: Record<string, unknown> = {}) {
    return super.create(port, {
      ...options,
      clientTracking: false,
      maxPayload: this.config.WS_MAX_FRAME_BYTES,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        try {
          const url = new URL(info.req.url ?? '/', 'ws://localhost');
          const token = url.searchParams.get('token');
          const user = this.auth.verify(token);
          // Sockets cost memory and a floor entry each: one user cannot hold thousands.
          if (this.limiter.openConnections(user.sub) >= this.config.WS_MAX_CONNECTIONS_PER_USER) return done(false, 429, 'Too many connections');
          this.connections.admit(info.req, { user, locale: localeFrom(url.searchParams.get('locale')), expiresAt: this.auth.expiresAt(token!) });
          done(true);
        } catch {
          done(false, 401, 'Unauthorized');
        }
      },
    });
  }

  /**
   * Registered before the gateway's own listener, so every connection has its limits before its first
   * frame, and its close listener (a plain one: `close` is emitted once, and `once` would keep a
   * wrapper per connection) whatever Nest's listener does.
   */
  override bindClientConnect(server: WebSocketServer, callback: (...args: unknown[]) => void): void {
    server.on('connection', (client: WebSocket, request: IncomingMessage) => {
      this.sockets.add(client);
      client.on('close', this.onClientClose);
      const session = this.connections.handshakeOf(request);
      if (session) this.stateOf(client).limiter = this.limiter.connect(session.user.sub);
    });
    super.bindClientConnect(server, callback);
  }

  /** At shutdown every open socket is cut, as the stock adapter does with `ws`'s own list (one server per adapter here). */
  override async close(server: WebSocketServer): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await super.close(server);
  }

  /** Nest's listener runs from the connection's one close listener, after its limiter is released. */
  override bindClientDisconnect(client: WebSocket, callback: (...args: unknown[]) => void): void {
    this.stateOf(client).disconnected = callback;
  }

  /**
   * A client breaking the framing (invalid UTF-8, a frame over the size limit) is closed by `ws`
   * with 1007/1009; that is the client's problem, and logging it would let anyone flood the log.
   */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (client: WebSocket) => client.on('error', this.onClientError));
    server.on('error', (e: Error) => this.wsLogger.error(e));
    return server;
  }

  /**
   * The stock adapter pipes every connection's frames through an rxjs chain (fromEvent, mergeMap,
   * filter, catchError, takeUntil of a shared close stream) that it keeps for the connection's whole
   * life: about 3 KB of subscribers and closures per open connection. This does the same with one
   * listener: each frame is handled at once (so frames of a connection run concurrently, as with
   * mergeMap), a handler's non-empty result is sent as JSON while the socket is open, and a stream
   * that errors is logged, never left to silence the connection's later frames.
   */
  override bindMessageHandlers(client: WebSocket, handlers: MessageHandler[], transform: ResultTransform): void {
    const state = this.stateOf(client);
    state.table = this.handlerTables.tableFor(handlers, transform);
    state.callbacks = handlers.map((h) => h.callback);
    client.on('message', this.onClientMessage);
  }

  /** As bindMessageHandlers, with the gateway's handlers unbound (shared-handlers.ts): the connection keeps none of them. */
  bindSharedHandlers(client: WebSocket, handlers: readonly UnboundHandler[], gateway: object, transform: ResultTransform): void {
    this.stateOf(client).table = this.handlerTables.sharedTableFor(handlers, gateway, transform);
    client.on('message', this.onClientMessage);
  }

  private stateOf(client: WebSocket): ConnectionState {
    let state = this.perConnection.get(client);
    if (!state) this.perConnection.set(client, (state = {}));
    return state;
  }

  /** The socket's token has not expired and its user still has the same role (src/auth: a row lookup, no I/O wait). */
  private sessionHolds(client: WebSocket): boolean {
    const connection = this.connections.find(client);
    if (!connection) return true; // not registered yet: the gateway answers UNAUTHORIZED itself
    return sessionHolds(this.auth, connection);
  }

  override bindMessageHandler(
    buffer: IncomingFrame,
    handlers: Map<string, MessageHandler>,
    transform: (data: unknown) => Observable<unknown>,
  ): Observable<unknown> {
    return this.handleFrame(buffer, (event) => handlers.get(event)?.callback, transform);
  }

  private handleFrame(
    buffer: IncomingFrame,
    handlerOf: (event: string) => HandlerCallback | undefined,
    transform: (data: unknown) => Observable<unknown>,
  ): Observable<unknown> {
    const client = buffer.target;
    /** A refusal goes out like every other frame; the stock adapter then has nothing to send. */
    const reply = (frame: ServerFrame): Observable<unknown> => {
      if (client) sendFrame(client, frame);
      return EMPTY;
    };
    const verdict = client ? (this.perConnection.get(client)?.limiter?.check() ?? 'accept') : 'accept';
    if (verdict === 'close') {
      client?.close(CLOSE_POLICY_VIOLATION, 'Rate limit exceeded');
      return EMPTY;
    }
    // The session is re-checked on every frame: a deleted or re-roled user, or an expired token, loses the socket at once.
    if (client && !this.sessionHolds(client)) {
      client.close(CLOSE_SESSION_ENDED, 'Session ended');
      return EMPTY;
    }
    if (typeof buffer.data !== 'string') {
      client?.close(CLOSE_UNSUPPORTED_DATA, 'Frames are JSON text');
      return EMPTY;
    }
    let message: unknown;
    try {
      message = JSON.parse(buffer.data);
    } catch {
      return reply(errorFrame(null, verdict === 'refuse' ? rateLimited() : new AppError('BAD_JSON', 'The frame is not valid JSON')));
    }
    if (verdict === 'refuse') return reply(errorFrame(requestIdOf(message), rateLimited()));
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof (message as { event?: unknown }).event !== 'string') {
      return reply(errorFrame(null, new AppError('VALIDATION_FAILED', 'A frame is {"event": string, "data": object}')));
    }
    const { event, data } = message as { event: string; data?: unknown };
    const requestId = requestIdOf(message);
    const problem = jsonShapeProblem(message);
    if (problem) return reply(errorFrame(requestId, badShape(problem)));
    const handler = handlerOf(event);
    if (!handler) return reply(errorFrame(requestId, new AppError('UNKNOWN_EVENT', `Unknown event '${String(event).slice(0, 64)}'`)));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return reply(errorFrame(null, new AppError('VALIDATION_FAILED', '`data` must be an object')));
    }
    try {
      return transform(handler(data, event));
    } catch {
      return EMPTY;
    }
  }
}

const rateLimited = () => new AppError('RATE_LIMITED', 'Too many messages; slow down');
