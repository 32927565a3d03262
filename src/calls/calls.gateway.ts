import { OnModuleDestroy, OnModuleInit, Optional, UseFilters, UsePipes } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { AppError } from '../common/app-error';
import { createValidationPipe } from '../common/validation';
import { WsErrorFilter } from '../realtime/ws-error.filter';
import { attachSession, sessionOf, type WsSession } from '../realtime/ws-session';
import { Roles } from '../auth/jwt-auth.guard';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { CallEngine } from './call-engine.service';
import { renderView } from './call-view';
import { CallDecideDto, CallRefDto, CallStartDto, FlowSearchDto } from './dto/call-messages.dto';
import { searchFlows } from '../flows/flow-search';
import type { LiveCall } from './live-call';
import { FloorSubscribeDto, FloorUnsubscribeDto } from '../floor/floor-messages.dto';
import { FloorService } from '../floor/floor.service';
import { PrometheusMetrics } from '../observability/prometheus-metrics';

/**
 * The agent screen's WebSocket: `call.*` messages in, `call.view` / `call.error` out (docs/PROTOCOL.md).
 * `@Roles` per message is enforced by the global guard (src/auth); who owns which call, by the engine.
 */
@WebSocketGateway({ path: '/ws' })
@UseFilters(WsErrorFilter)
@UsePipes(createValidationPipe())
export class CallsGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly sessions = new WeakMap<WebSocket, WsSession>();
  private readonly watchers = new Map<string, Set<WebSocket>>();
  private readonly watching = new WeakMap<WebSocket, Set<string>>();
  private unsubscribe?: () => void;

  constructor(
    private readonly engine: CallEngine,
    private readonly catalog: FlowCatalog,
    private readonly floor: FloorService,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.engine.onPush((call) => this.broadcast(call));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    const session = sessionOf(request);
    if (!session) return client.close(1008, 'Unauthorized');
    attachSession(client, session);
    this.sessions.set(client, session);
    this.watching.set(client, new Set());
    this.floor.connected(client, session);
  }

  handleDisconnect(client: WebSocket): void {
    this.floor.disconnected(client);
    for (const callId of this.watching.get(client) ?? []) {
      const set = this.watchers.get(callId);
      set?.delete(client);
      if (set?.size === 0) this.watchers.delete(callId);
    }
  }

  @SubscribeMessage('call.start')
  @Roles('agent', 'supervisor')
  async start(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallStartDto): Promise<void> {
    const call = await this.engine.start(this.session(client).user, body.callerNumber, body.flowId);
    this.watch(client, call.id);
    this.reply(client, body.requestId, call);
  }

  @SubscribeMessage('call.decide')
  @Roles('agent', 'supervisor')
  async decide(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallDecideDto): Promise<void> {
    const received = performance.now();
    const { requestId, ...decision } = body;
    let call: LiveCall;
    try {
      call = await this.engine.decide(this.session(client).user, decision);
    } catch (e) {
      this.metrics?.decision(false, received);
      throw e;
    }
    this.watch(client, call.id);
    this.reply(client, requestId, call);
    this.metrics?.decision(true, received);
    this.broadcast(call, client);
  }

  @SubscribeMessage('call.attach')
  @Roles('agent', 'supervisor')
  async attach(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallRefDto): Promise<void> {
    const call = await this.engine.attach(this.session(client).user, body.callId);
    this.watch(client, call.id);
    this.reply(client, body.requestId, call);
  }

  @SubscribeMessage('call.hangup')
  @Roles('agent', 'supervisor')
  async hangup(@ConnectedSocket() client: WebSocket, @MessageBody() body: CallRefDto): Promise<void> {
    const call = await this.engine.hangup(this.session(client).user, body.callId);
    this.reply(client, body.requestId, call);
    this.broadcast(call, client);
  }

  /** Scenario search: ranked businesses for what the caller says ("bill too high", "停机"). */
  @SubscribeMessage('flow.search')
  search(@ConnectedSocket() client: WebSocket, @MessageBody() body: FlowSearchDto): void {
    this.session(client);
    const results = searchFlows(this.catalog.list(), body.q);
    if (client.readyState === client.OPEN) client.send(JSON.stringify({ event: 'flow.results', data: { requestId: body.requestId, q: body.q, results } }));
  }

  /** Live floor for supervisors (src/floor): a snapshot now, then pushed `floor.snapshot` frames. */
  @SubscribeMessage('floor.subscribe')
  @Roles('supervisor')
  floorSubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() body: FloorSubscribeDto): void {
    this.floor.subscribe(client, this.session(client), body.requestId);
  }

  @SubscribeMessage('floor.unsubscribe')
  @Roles('supervisor')
  floorUnsubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() body: FloorUnsubscribeDto): void {
    this.floor.unsubscribe(client, this.session(client), body.requestId);
  }

  private session(client: WebSocket): WsSession {
    const session = this.sessions.get(client);
    if (!session) throw new AppError('UNAUTHORIZED', 'No session on this connection');
    return session;
  }

  private watch(client: WebSocket, callId: string): void {
    let set = this.watchers.get(callId);
    if (!set) this.watchers.set(callId, (set = new Set()));
    set.add(client);
    this.watching.get(client)?.add(callId);
  }

  /** Sent as soon as the engine returns, so a reply always precedes the pushes that follow it. */
  private reply(client: WebSocket, requestId: string, call: LiveCall): void {
    this.send(client, call, requestId);
  }

  private broadcast(call: LiveCall, except?: WebSocket): void {
    for (const client of this.watchers.get(call.id) ?? []) if (client !== except) this.send(client, call);
    if (!call.active) this.watchers.delete(call.id);
  }

  private send(client: WebSocket, call: LiveCall, requestId?: string): void {
    if (client.readyState !== client.OPEN) return;
    const view = renderView(call.progress, this.session(client).locale, this.catalog, this.catalog.businesses(), (id) => this.catalog.titleOf(id));
    const data = requestId === undefined ? view : { requestId, ...view };
    client.send(JSON.stringify({ event: 'call.view', data }));
  }
}
