import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { UserEntity } from '../auth/user.entity';
import { CallEngine, type LiveCall, stepMeta } from '../calls';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { Locale } from '../flows/flow-definition';
import {
  buildFloorSnapshot,
  DEFAULT_THRESHOLDS,
  LOCK_ALERT_MS,
  type FloorCallInput,
  type FloorSnapshot,
  floorSignature,
  type FloorThresholds,
  type StepOutcome,
  stepKey,
} from './floor-snapshot';
import { type FloorShare, FloorShares } from './floor-shares.service';
import { FloorScopes } from './floor-scopes.service';
import { scopeSnapshot } from './floor-scope';
import { OverdueItems } from './overdue-items';

/** Refused identity checks kept for the floor's alert. */
const MAX_LOCKS = 500;

/** Pushes: at most one per second per subscriber, only when something changed, and a heartbeat every 5 s. */
export const FLOOR_MIN_INTERVAL_MS = 1_000;
export const FLOOR_HEARTBEAT_MS = 5_000;
const TICK_MS = 250;
/** A subscriber that does not read its socket is skipped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

/** A connection subscribed to the floor, as the transport that owns it presents it. */
export interface FloorSubscriber {
  readonly locale: Locale;
  /** False once its connection has closed: the subscription is dropped. */
  isOpen(): boolean;
  /** Bytes queued on its connection and not yet sent. */
  queuedBytes(): number;
  push(snapshot: FloorSnapshot): void;
}

interface Subscription {
  lastSentAt: number;
  signature: string;
  /** The supervisor: they see the agents of their teams (FloorScopes). */
  userId: string;
}

/**
 * The live floor for supervisors (`floor.subscribe`, docs/PROTOCOL.md §13): who is online, which
 * calls are where, what waits on the back end, and alerts. Knows no transport: src/realtime tells it
 * who comes online and hands it a subscriber per connection to push snapshots to.
 */
@Injectable()
export class FloorService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FloorService.name);
  /** Who is online: one entry per open connection (the same agent on two tabs counts twice). */
  private readonly online = new Set<{ user: AuthUser }>();
  private readonly subscribers = new Map<FloorSubscriber, Subscription>();
  private readonly outcomes = new Map<string, StepOutcome[]>();
  /** Identity checks refused here because the subscriber is locked (the last LOCK_ALERT_MS, at most MAX_LOCKS). */
  private locks: { flowId: string; stepId: string; at: number }[] = [];
  private readonly usernames = new Map<string, string>();
  private alertSince = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private stopListening?: () => void;
  private stopLocks?: () => void;
  private usersLoadedAt = 0;
  readonly thresholds: FloorThresholds;

  constructor(
    private readonly engine: CallEngine,
    config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly shares: FloorShares,
    private readonly catalog: FlowCatalog,
    private readonly scopes: FloorScopes,
    private readonly overdue: OverdueItems,
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, waitMs: config.FLOOR_WAIT_ALERT_MS, failureRate: config.FLOOR_FAILURE_RATE_ALERT };
  }

  onModuleInit(): void {
    this.shares.bind(() => this.share());
    this.stopLocks = this.engine.onVerificationLocked(({ flowId, stepId, at }) => {
      this.locks = [...this.locks.filter((l) => at - l.at <= LOCK_ALERT_MS), { flowId, stepId, at }].slice(-MAX_LOCKS);
    });
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
    this.stopLocks?.();
    this.stopTimer();
  }

  /** A connection of this user opened: online until the returned function is called (when it closes). */
  cameOnline(user: AuthUser): () => void {
    const entry = { user };
    this.online.add(entry);
    this.usernames.set(user.sub, user.username);
    return () => this.online.delete(entry);
  }

  /** `floor.subscribe`: supervisors only. Returns the snapshot for the reply now; pushes follow. */
  subscribe(subscriber: FloorSubscriber, user: AuthUser): FloorSnapshot {
    this.requireSupervisor(user);
    const now = Date.now();
    const snapshot = scopeSnapshot(this.compute(subscriber.locale, now), this.scopes.visibleTo(user.sub));
    this.overdue.refresh(now);
    this.subscribers.set(subscriber, { lastSentAt: now, signature: floorSignature(snapshot), userId: user.sub });
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
    return snapshot;
  }

  /** `floor.unsubscribe`: no more pushes to this subscriber. */
  unsubscribe(subscriber: FloorSubscriber, user: AuthUser): void {
    this.requireSupervisor(user);
    this.drop(subscriber);
  }

  /** The subscriber's connection closed. */
  forget(subscriber: FloorSubscriber): void {
    this.drop(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The snapshot as a subscriber in `locale` would get it now: this node's calls and, on several nodes, the others'. */
  compute(locale: Locale, now = Date.now()): FloorSnapshot {
    const calls: FloorCallInput[] = [];
    const seen = new Set<string>();
    for (const call of this.engine.liveCalls()) {
      if (call.progress.training) continue; // training calls are not on the operations floor
      const input = this.callInput(call, locale);
      if (!input || seen.has(input.callId)) continue;
      calls.push(input);
      seen.add(input.callId);
    }
    const others = this.shares.others();
    for (const share of others) {
      for (const a of share.agents) this.usernames.set(a.agentId, a.username);
      for (const c of share.calls) {
        if (seen.has(c.callId)) continue;
        calls.push(this.titled(c, locale));
        seen.add(c.callId);
      }
    }
    if (calls.some((c) => !this.usernames.has(c.agentId))) void this.loadUsernames();
    const agentSessions: { agentId: string; username: string }[] = [];
    for (const { user } of this.online) if (user.role === 'agent') agentSessions.push({ agentId: user.sub, username: user.username });
    for (const share of others) agentSessions.push(...share.agents);
    const { snapshot, alertSince } = buildFloorSnapshot({
      now,
      calls,
      agentSessions,
      usernameOf: (id) => this.usernames.get(id),
      outcomes: others.length ? mergeOutcomes(this.outcomes, others, this.thresholds.window) : this.outcomes,
      locks: [...this.locks, ...others.flatMap((s) => s.locks ?? [])],
      thresholds: this.thresholds,
      alertSince: this.alertSince,
      overdue: this.overdue.current(),
    });
    this.alertSince = alertSince;
    return snapshot;
  }

  /** This node's part of the floor, for the other nodes (FloorShares). */
  private share(): Omit<FloorShare, 'node'> {
    const calls: FloorShare['calls'] = [];
    for (const call of this.engine.liveCalls()) {
      const { record, snapshot } = call.progress;
      if (call.progress.training || record.status !== 'active' || typeof snapshot.value !== 'string') continue;
      const { id: flowId, version: flowVersion } = call.flow.definition;
      const { id: callId, agentId, callerNumber, updatedAt: since } = record;
      calls.push({ callId, agentId, callerNumber, flowId, flowVersion, stepId: snapshot.value, since, waitingOn: call.waitingOn });
    }
    const agents: FloorShare['agents'] = [];
    for (const { user } of this.online) if (user.role === 'agent') agents.push({ agentId: user.sub, username: user.username });
    return { calls, agents, outcomes: [...this.outcomes], locks: this.locks };
  }

  /** Another node's call in this subscriber's locale (titles from the same stored versions). */
  private titled(c: FloorShare['calls'][number], locale: Locale): FloorCallInput {
    let flowTitle = c.flowId;
    let stepTitle = c.stepId;
    try {
      const definition = this.catalog.exact(c.flowId, c.flowVersion).definition;
      flowTitle = definition.title[locale];
      stepTitle = stepMeta(definition, c.stepId).title[locale];
    } catch {
      /* a version or step this node cannot title: shown by id */
    }
    return { ...c, flowTitle, stepTitle };
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
      callId: record.id,
      agentId: record.agentId,
      callerNumber: record.callerNumber,
      flowId: definition.id,
      flowVersion: definition.version,
      flowTitle: definition.title[locale],
      stepId: snapshot.value,
      stepTitle,
      since: record.updatedAt,
      waitingOn: call.waitingOn,
    };
  }

  private tick(): void {
    if (!this.subscribers.size) return this.stopTimer();
    const now = Date.now();
    this.overdue.refresh(now);
    const computed = new Map<Locale, { snapshot: FloorSnapshot; signature: string }>();
    for (const [subscriber, sub] of this.subscribers) {
      if (!subscriber.isOpen()) {
        this.drop(subscriber);
        continue;
      }
      const elapsed = now - sub.lastSentAt;
      if (elapsed < FLOOR_MIN_INTERVAL_MS || subscriber.queuedBytes() > MAX_BUFFERED_BYTES) continue;
      let current = computed.get(subscriber.locale);
      if (!current) {
        const snapshot = this.compute(subscriber.locale, now);
        computed.set(subscriber.locale, (current = { snapshot, signature: floorSignature(snapshot) }));
      }
      const visible = this.scopes.visibleTo(sub.userId);
      const scoped = visible ? scopeSnapshot(current.snapshot, visible) : current.snapshot;
      const signature = visible ? floorSignature(scoped) : current.signature;
      if (signature === sub.signature && elapsed < FLOOR_HEARTBEAT_MS) continue;
      sub.lastSentAt = now;
      sub.signature = signature;
      subscriber.push(scoped);
    }
  }

  private drop(subscriber: FloorSubscriber): void {
    this.subscribers.delete(subscriber);
    if (!this.subscribers.size) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // Alerts are timed from when a subscriber first saw them; nobody watching, nothing to keep.
    if (!this.subscribers.size) this.alertSince = new Map();
  }

  private requireSupervisor(user: AuthUser): void {
    if (user.role !== 'supervisor') throw new AppError('FORBIDDEN', 'Only supervisors see the live floor');
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

/** Every node's recent back-end outcomes per step, the last `window` of them by time. */
function mergeOutcomes(own: Map<string, StepOutcome[]>, others: readonly FloorShare[], window: number): Map<string, StepOutcome[]> {
  const merged = new Map<string, StepOutcome[]>([...own].map(([k, v]) => [k, [...v]]));
  for (const share of others) {
    for (const [key, list] of share.outcomes) merged.set(key, [...(merged.get(key) ?? []), ...list]);
  }
  for (const [key, list] of merged) merged.set(key, list.sort((a, b) => a.at - b.at).slice(-window));
  return merged;
}
