import { Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebSocket } from 'ws';
import { UserEntity } from '../auth/user.entity';
import { CallEngine } from '../calls/call-engine.service';
import type { LiveCall } from '../calls/live-call';
import { stepMeta } from '../calls/step-model';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { Locale } from '../flows/flow-definition';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import type { WsSession } from '../realtime/ws-session';
import {
  buildFloorSnapshot, DEFAULT_THRESHOLDS, type FloorCallInput, type FloorSnapshot, floorSignature, type FloorThresholds, type StepOutcome, stepKey,
} from './floor-snapshot';

/** Pushes: at most one per second per subscriber, only when something changed, and a heartbeat every 5 s. */
export const FLOOR_MIN_INTERVAL_MS = 1_000;
export const FLOOR_HEARTBEAT_MS = 5_000;
const TICK_MS = 250;
/** A subscriber that does not read its socket is skipped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

interface Subscriber {
  locale: Locale;
  lastSentAt: number;
  signature: string;
}

/**
 * The live floor for supervisors (`floor.subscribe`, docs/PROTOCOL.md §13): who is online, which
 * calls are where, what waits on the back end, and alerts. Also the registry of WebSocket sessions
 * (the `laihua_ws_connections` gauge and "agents online").
 */
@Injectable()
export class FloorService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FloorService.name);
  private readonly sessions = new Map<WebSocket, WsSession>();
  private readonly subscribers = new Map<WebSocket, Subscriber>();
  private readonly outcomes = new Map<string, StepOutcome[]>();
  private readonly usernames = new Map<string, string>();
  private alertSince = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private stopListening?: () => void;
  private usersLoadedAt = 0;
  readonly thresholds: FloorThresholds;

  constructor(
    private readonly engine: CallEngine,
    config: AppConfig,
    private readonly dataSource: DataSource,
    @Optional() metrics?: PrometheusMetrics,
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, waitMs: config.FLOOR_WAIT_ALERT_MS, failureRate: config.FLOOR_FAILURE_RATE_ALERT };
    metrics?.bind({ wsConnections: () => this.sessions.size });
  }

  onModuleInit(): void {
    this.stopListening = this.engine.onBackendOutcome((o) => {
      const key = stepKey(o.flowId, o.stepId);
      let list = this.outcomes.get(key);
      if (!list) this.outcomes.set(key, (list = []));
      list.push({ ok: o.ok, at: o.at });
      if (list.length > this.thresholds.window) list.splice(0, list.length - this.thresholds.window);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    this.stopTimer();
  }

  connected(client: WebSocket, session: WsSession): void {
    this.sessions.set(client, session);
    this.usernames.set(session.user.sub, session.user.username);
  }

  disconnected(client: WebSocket): void {
    this.sessions.delete(client);
    this.drop(client);
  }

  /** `floor.subscribe`: supervisors only. Replies with the snapshot now; pushes follow. */
  subscribe(client: WebSocket, session: WsSession, requestId: string): void {
    this.requireSupervisor(session);
    const now = Date.now();
    const snapshot = this.compute(session.locale, now);
    this.subscribers.set(client, { locale: session.locale, lastSentAt: now, signature: floorSignature(snapshot) });
    this.send(client, { requestId, ...snapshot });
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  /** `floor.unsubscribe`: no more pushes on this connection. */
  unsubscribe(client: WebSocket, session: WsSession, requestId: string): void {
    this.requireSupervisor(session);
    this.drop(client);
    if (client.readyState === client.OPEN) client.send(JSON.stringify({ event: 'floor.unsubscribed', data: { requestId } }));
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The snapshot as a subscriber in `locale` would get it now. */
  compute(locale: Locale, now = Date.now()): FloorSnapshot {
    const calls: FloorCallInput[] = [];
    let unknownAgent = false;
    for (const call of this.engine.liveCalls()) {
      const input = this.callInput(call, locale);
      if (!input) continue;
      if (!this.usernames.has(input.agentId)) unknownAgent = true;
      calls.push(input);
    }
    if (unknownAgent) void this.loadUsernames();
    const agentSessions: { agentId: string; username: string }[] = [];
    for (const { user } of this.sessions.values()) if (user.role === 'agent') agentSessions.push({ agentId: user.sub, username: user.username });
    const { snapshot, alertSince } = buildFloorSnapshot({
      now, calls, agentSessions, usernameOf: (id) => this.usernames.get(id), outcomes: this.outcomes,
      thresholds: this.thresholds, alertSince: this.alertSince,
    });
    this.alertSince = alertSince;
    return snapshot;
  }

  private callInput(call: LiveCall, locale: Locale): FloorCallInput | null {
    const { record, snapshot } = call.progress;
    if (record.status !== 'active' || typeof snapshot.value !== 'string') return null;
    const definition = call.flow.definition;
    let stepTitle = snapshot.value;
    try {
      stepTitle = stepMeta(definition, snapshot.value).title[locale];
    } catch {
      /* a step without meta: shown by id */
    }
    return {
      callId: record.id, agentId: record.agentId, callerNumber: record.callerNumber,
      flowId: definition.id, flowVersion: definition.version, flowTitle: definition.title[locale],
      stepId: snapshot.value, stepTitle, since: record.updatedAt, waitingOn: call.waitingOn,
    };
  }

  private tick(): void {
    if (!this.subscribers.size) return this.stopTimer();
    const now = Date.now();
    const computed = new Map<Locale, { snapshot: FloorSnapshot; signature: string }>();
    for (const [client, sub] of this.subscribers) {
      if (client.readyState !== client.OPEN) {
        this.drop(client);
        continue;
      }
      const elapsed = now - sub.lastSentAt;
      if (elapsed < FLOOR_MIN_INTERVAL_MS || client.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      let current = computed.get(sub.locale);
      if (!current) {
        const snapshot = this.compute(sub.locale, now);
        computed.set(sub.locale, (current = { snapshot, signature: floorSignature(snapshot) }));
      }
      if (current.signature === sub.signature && elapsed < FLOOR_HEARTBEAT_MS) continue;
      sub.lastSentAt = now;
      sub.signature = current.signature;
      this.send(client, current.snapshot);
    }
  }

  private send(client: WebSocket, data: object): void {
    if (client.readyState !== client.OPEN) return;
    client.send(JSON.stringify({ event: 'floor.snapshot', data }));
  }

  private drop(client: WebSocket): void {
    this.subscribers.delete(client);
    if (!this.subscribers.size) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // Alerts are timed from when a subscriber first saw them; nobody watching, nothing to keep.
    if (!this.subscribers.size) this.alertSince = new Map();
  }

  private requireSupervisor(session: WsSession): void {
    if (session.user.role !== 'supervisor') throw new AppError('FORBIDDEN', 'Only supervisors see the live floor');
  }

  /** Owners of calls whose agent has no open session (e.g. calls recovered after a restart). */
  private async loadUsernames(): Promise<void> {
    const now = Date.now();
    if (now - this.usersLoadedAt < 10_000) return;
    this.usersLoadedAt = now;
    try {
      for (const u of await this.dataSource.getRepository(UserEntity).find({ select: { id: true, username: true } })) this.usernames.set(u.id, u.username);
    } catch (e) {
      this.logger.warn(`usernames could not be loaded: ${(e as Error).message}`);
    }
  }
}
