import { AuthService } from '../auth/auth.service';
import { UserChanges } from '../auth/user-changes';
import { OnModuleDestroy, OnModuleInit, Optional, UseFilters, UsePipes } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { Roles } from '../auth/jwt-auth.guard';
import { ADD_NEED, ANOTHER_BUSINESS, CallEngine, CallViews, type Decision, type LiveCall } from '../calls';
import { createValidationPipe } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { FloorService, type FloorSubscriber } from '../floor';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { searchFlows } from '../flows/flow-search';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { Training } from '../training';
import { WorkItemCallbacks } from '../work-items';
import { type Connection, Connections } from './connections';
import { CallDecideDto, CallRefDto, CallStartDto, FlowSearchDto } from './dto/call-messages.dto';
import { FloorSubscribeDto, FloorUnsubscribeDto } from './dto/floor-messages.dto';
import { isOpen, sendFrame } from './frames';
import { sessionHolds, CLOSE_SESSION_ENDED } from './session-check';
import { WsErrorFilter } from './ws-error.filter';

/**
 * The one WebSocket (`/ws`, docs/PROTOCOL.md): `call.*` for the agent screen, `flow.search` for
 * scenario search, `floor.*` for the supervisors' live floor. Each message is validated (pipe), its
 * `@Roles` enforced by the global guard (src/auth), any error sent as `call.error` (filter); the
 * handlers only translate between frames and the calls engine (which checks who owns which call),
 * flow search and the floor.
 */
@WebSocketGateway({ path: '/ws' })
@UseFilters(WsErrorFilter)
@UsePipes(createValidationPipe())
export class RealtimeGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private sessionSweep?: NodeJS.Timeout;
  private stopPushes?: () => void;

  constructor(
    private readonly connections: Connections,
    private readonly engine: CallEngine,
    private readonly views: CallViews,
    private readonly catalog: FlowCatalog,
    private readonly floor: FloorService,
    private readonly auth: AuthService,
    private readonly userChanges: UserChanges,
    private readonly training: Training,
    private readonly callbacks: WorkItemCallbacks,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {}

  onModuleInit(): void {
    this.sessionSweep = setInterval(() => this.recheckSessions(), this.config.SESSION_RECHECK_MS);
    this.sessionSweep.unref();
    const offViews = this.engine.onPush((call) => this.broadcast(call));
    const offMoves = this.engine.onMoved((callId) => this.moved(callId));
    // An admin disabled, re-roled or reset a user (here or, on PostgreSQL, on another node): their sockets close now.
    const offUsers = this.userChanges.onChange((userId) => this.recheckSessions(userId));
    this.stopPushes = () => {
      offViews();
      offMoves();
      offUsers();
    };
  }

  /** Sockets that send nothing still lose their session within SESSION_RECHECK_MS of a user's change or a token's expiry. */
  private recheckSessions(userId?: string): void {
    for (const connection of this.connections.all()) {
      if (userId !== undefined && connection.user.sub !== userId) continue;
      if (!sessionHolds(this.auth, connection)) connection.socket.close(CLOSE_SESSION_ENDED, 'Session ended');
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sessionSweep);
    this.stopPushes?.();
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    const connection = this.connections.connect(client, request);
    if (!connection) return client.close(1008, 'Unauthorized');
    connection.offline = this.floor.cameOnline(connection.user);
  }

  handleDisconnect(client: WebSocket): void {
    const connection = this.connections.disconnect(client);
    connection?.offline?.();
    if (connection?.floor) this.floor.forget(connection.floor);
  }

  @SubscribeMessage('call.start')
  @Roles('agent', 'supervisor')
  async start(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallStartDto): Promise<void> {
    const connection = this.connections.of(client);
    const { user } = connection;
    await this.training.requireCertified(user, body.flowId);
    // An outbound callback: the item's context is checked, logged with the call's start, and the item linked to the call.
    const callback = body.workItemId === undefined ? undefined : await this.callbacks.contextFor(user, body.workItemId, body.callerNumber, body.flowId);
    const call = await this.engine.start(user, body.callerNumber, body.flowId, callback ? { callback } : {});
    if (callback) await this.callbacks.called(user, callback.workItemId, call.id);
    this.connections.watch(connection, call.id);
    this.sendView(connection, call, body.requestId, true);
  }

  @SubscribeMessage('call.decide')
  @Roles('agent', 'supervisor')
  async decide(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallDecideDto): Promise<void> {
    const received = performance.now();
    const { requestId, ...decision } = body;
    let call: LiveCall;
    let connection: Connection;
    try {
      connection = this.connections.of(client);
      await this.requireCertifiedFor(connection, decision);
      call = await this.engine.decide(connection.user, decision);
    } catch (e) {
      this.metrics?.decision(false, received);
      throw e;
    }
    this.connections.watch(connection, call.id);
    this.sendView(connection, call, requestId);
    this.metrics?.decision(true, received);
    this.broadcast(call, connection);
  }

  @SubscribeMessage('call.attach')
  @Roles('agent', 'supervisor')
  async attach(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallRefDto): Promise<void> {
    const connection = this.connections.of(client);
    const call = await this.engine.attach(connection.user, body.callId);
    this.connections.watch(connection, call.id);
    this.sendView(connection, call, body.requestId, true);
  }

  @SubscribeMessage('call.hangup')
  @Roles('agent', 'supervisor')
  async hangup(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallRefDto): Promise<void> {
    const connection = this.connections.of(client);
    const call = await this.engine.hangup(connection.user, body.callId);
    this.sendView(connection, call, body.requestId);
    this.broadcast(call, connection);
  }

  /** Scenario search: ranked businesses for what the caller says ("bill too high", "停机"). */
  @SubscribeMessage('flow.search')
  async search(@ConnectedSocket() client: WebSocket, @MessageBody() body: FlowSearchDto): Promise<void> {
    const { user } = this.connections.of(client);
    // With TRAINING_CERTIFIED_ONLY an agent is offered only the businesses they are certified for.
    const offered = await this.training.offered(user);
    const results = searchFlows(
      this.catalog.list().filter((f) => !offered || (f.kind ?? 'business') !== 'business' || offered.has(f.id)),
      body.q,
    );
    sendFrame(client, { event: 'flow.results', data: { requestId: body.requestId, q: body.q, results } });
  }

  /** Live floor for supervisors (src/floor): a snapshot now, then pushed `floor.snapshot` frames. */
  @SubscribeMessage('floor.subscribe')
  @Roles('supervisor')
  floorSubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() body: FloorSubscribeDto): void {
    const connection = this.connections.of(client);
    const snapshot = this.floor.subscribe(this.floorSubscriber(connection), connection.user);
    sendFrame(client, { event: 'floor.snapshot', data: { requestId: body.requestId, ...snapshot } });
  }

  @SubscribeMessage('floor.unsubscribe')
  @Roles('supervisor')
  floorUnsubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() body: FloorUnsubscribeDto): void {
    const connection = this.connections.of(client);
    this.floor.unsubscribe(this.floorSubscriber(connection), connection.user);
    sendFrame(client, { event: 'floor.unsubscribed', data: { requestId: body.requestId } });
  }

  private floorSubscriber(connection: Connection): FloorSubscriber {
    const { socket } = connection;
    return (connection.floor ??= {
      locale: connection.locale,
      isOpen: () => isOpen(socket),
      queuedBytes: () => socket.bufferedAmount,
      push: (snapshot) => sendFrame(socket, { event: 'floor.snapshot', data: snapshot }),
    });
  }

  /**
   * With TRAINING_CERTIFIED_ONLY, a business the agent moves a live call to (another business, a need
   * added) must be one they are certified for, as at `call.start`; a training call may go anywhere.
   */
  private async requireCertifiedFor(connection: Connection, decision: Decision): Promise<void> {
    const flowId = decision.option === ANOTHER_BUSINESS || decision.option === ADD_NEED ? decision.input?.flowId : undefined;
    if (typeof flowId !== 'string') return;
    const call = await this.engine.attach(connection.user, decision.callId);
    if (!call.progress.training) await this.training.requireCertified(connection.user, flowId);
  }

  /** To every other connection watching the call; an ended call is watched no more. */
  private broadcast(call: LiveCall, except?: Connection): void {
    for (const connection of this.connections.watchersOf(call.id)) if (connection !== except) this.sendView(connection, call);
    if (!call.active) this.connections.unwatch(call.id);
  }

  /** The call left this node: its watchers here attach again (to wherever they land) and watch it there. */
  private moved(callId: string): void {
    for (const connection of this.connections.watchersOf(callId)) {
      if (isOpen(connection.socket)) sendFrame(connection.socket, { event: 'call.moved', data: { callId } });
    }
    this.connections.unwatch(callId);
  }

  /**
   * A reply (with `requestId`) is sent as soon as the engine returns, so it precedes the pushes that
   * follow it. `profile`: with the caller's profile — only the first view a connection gets of a call
   * (`call.start`, `call.attach`) needs it; it never changes within the call.
   */
  private sendView(connection: Connection, call: LiveCall, requestId?: string, profile = false): void {
    if (!isOpen(connection.socket)) return;
    const { customer, ...view } = this.views.of(call, connection.locale);
    const data = profile ? { ...view, customer } : view;
    sendFrame(connection.socket, { event: 'call.view', data: requestId === undefined ? data : { requestId, ...data } });
  }
}
