import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { AuthUser } from '../auth/auth-user';
import { BackendPort } from '../backend/backend.port';
import { CallLeases } from '../cluster';
import { AppConfig } from '../config/app-config';
import { AppError } from '../common/app-error';
import { inTurns } from '../common/in-turns';
import { keyedSingleFlight } from '../common/single-flight';
import { type BrokenChain, CallLog, CallRecord, DecisionLog, type LoggedEvent } from '../decision-log/decision-log';
import { callErased } from '../decision-log/log-rows';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import type { BackendOutcome, Decision, VerificationLock } from './call-engine-types';
import { newCallId } from './call-id';
import { VerificationLocks } from './verification-locks';
import { LiveCall } from './live-call';
import { LiveCalls } from './live-calls';
import { checkChainsLater, oneChunk, rebuildCall, recoverInParts, warnBrokenChains } from './call-rebuild';
import { LRUCache } from 'lru-cache';
import { CallEffects, type EffectHost } from './call-effects';
import { advance, beginCall, type CallInput, type CallStart, callTrace, confirmedPrompts, refuseNotKept } from './step';

/** What a call's start carries besides the caller and flow (logged on `call.started`). */
export type StartContext = Pick<CallStart, 'cti' | 'training' | 'callback'>;
import { type CallNotRecovered, notRecovered } from './unrecovered-call';

/** How many events of ended calls' rebuilds are kept for re-attaching (a typical call has 10–40). */
const ENDED_CALLS_CACHED_EVENTS = 200_000;

/** A call that has just ended: which, and (a training call) its scenario, so listeners skip what is not theirs without a read. */
export interface EndedCall {
  callId: string;
  training: string | null;
}

/**
 * Drives live calls. Every input — an agent's decision, a back-end reply, a timeout — goes the
 * same way: validated and applied by the pure `advance`, appended to the decision log, and only
 * once the log has it does the call move on in memory and anyone get told.
 */
@Injectable()
export class CallEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallEngine.name);
  private readonly live = new LiveCalls();
  private readonly pushes = new EventEmitter();
  /** Active calls the boot could not rebuild, by id: reported in health; an agent attaching gets a typed error. */
  private readonly notRecovered = new Map<string, CallNotRecovered>();
  private stopping = false;
  private readonly effects: CallEffects;
  /** Calls being moved to this node (several nodes), so that two requests claim a call once. */
  private readonly claims = new Map<string, Promise<LiveCall>>();
  /** The logs of calls just claimed, read for all of a turn's claims at once (a lost node's agents come back together). */
  private readonly claimedLogs = inTurns((ids: readonly string[]) => this.logsOf(ids));
  /** Rebuilds under way, by call: the requests that arrive meanwhile share them. */
  private readonly rebuilding = keyedSingleFlight<string, LiveCall>();
  /** Ended calls rebuilt for attach (read-only), bounded by their total events: re-attaching one costs no rebuild. */
  private readonly endedCalls = new LRUCache<string, LiveCall>({ maxSize: ENDED_CALLS_CACHED_EVENTS, sizeCalculation: (c) => c.progress.record.seq });

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly log: DecisionLog,
    backend: BackendPort,
    private readonly leases: CallLeases,
    private readonly config: AppConfig,
    locks: VerificationLocks,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {
    this.pushes.setMaxListeners(0);
    metrics?.bind({ callsActive: () => this.live.size });
    this.backend = backend;
    const host: EffectHost = {
      isStopping: () => this.stopping,
      logger: this.logger,
      isDriving: (call) => this.live.get(call.id) === call,
      apply: (call, input) => this.apply(call, input),
      pushView: (call) => this.pushes.emit('view', call),
      pushBackend: (outcome) => this.pushes.emit('backend', outcome),
      verificationLocked: (lock) => {
        this.logger.warn(`identity checks of subscriber ${lock.subscriber} are locked (call ${lock.callId})`);
        this.pushes.emit('verification-locked', lock);
      },
    };
    this.effects = new CallEffects(host, catalog, backend, locks, metrics);
    leases.bind({ adopt: (ids) => this.adopt(ids), drop: (ids) => this.drop(ids) });
  }

  private readonly backend: BackendPort;

  /**
   * Crash recovery: every call still active in the log is rebuilt and its pending back-end step
   * resumed. Several nodes: only the calls no live node holds (a lost node's, this node's earlier run).
   */
  async onApplicationBootstrap(): Promise<void> {
    const started = performance.now();
    const chunks = this.leases.clustered ? oneChunk(this.log.callLogs(await this.leases.adoptOrphans())) : this.log.activeCallLogChunks();
    const { calls, waitedMs } = await recoverInParts(chunks, (c) => this.recover(c.logs, c.brokenChains));
    // The bench (bench/lib/recovery-phase.mjs) reads this line: where a restart's time goes.
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const total = performance.now() - started;
    if (calls)
      this.logger.log(
        `recovered ${this.live.size} of ${calls} active call(s) in ${ms(total)} (reading ${ms(waitedMs)}, rebuilding ${ms(total - waitedMs)}), begun ${ms(started)} after the process started`,
      );
  }

  /** Calls rebuilt from their logs and driven here: pending back-end steps re-sent with the same idempotency key, timers re-armed. */
  private recover(logs: CallLog[], brokenChains?: BrokenChain[]): void {
    for (const { call, events } of logs) {
      if (call.status !== 'active' || this.live.has(call.id)) continue;
      try {
        this.track(rebuildCall(this.catalog, call, events, this.logger, false));
      } catch (e) {
        this.logger.error(`call ${call.id} could not be recovered: ${(e as Error).message}`);
        this.notRecovered.set(call.id, notRecovered(call, e));
        this.leases.release(call.id);
      }
    }
    if (brokenChains) warnBrokenChains(brokenChains, this.logger);
    else checkChainsLater(logs, this.logger);
  }

  /** Several nodes: calls taken over from a lost node. */
  private async adopt(callIds: string[]): Promise<void> {
    this.recover(await this.log.callLogs(callIds));
  }

  /** Several nodes: calls another node drives now. Nothing more is applied here; their watchers are told. */
  private drop(callIds: string[]): void {
    for (const id of callIds) {
      const call = this.live.get(id);
      this.leases.release(id);
      if (!call) continue;
      call.cancelWaits();
      this.live.delete(id);
      this.pushes.emit('moved', id);
    }
  }

  /** Calls that moved to another node (several nodes): whoever watches them here should attach again. */
  onMoved(listener: (callId: string) => void): () => void {
    this.pushes.on('moved', listener);
    return () => this.pushes.off('moved', listener);
  }

  /** Active calls the boot could not recover (health). */
  callsNotRecovered(): CallNotRecovered[] {
    return [...this.notRecovered.values()];
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    for (const call of this.live.values()) call.cancelWaits();
  }

  /** Views the engine produces by itself (back-end replies, timeouts), for whoever watches the call. */
  onPush(listener: (call: LiveCall) => void): () => void {
    this.pushes.on('view', listener);
    return () => this.pushes.off('view', listener);
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** The calls in progress (read-only use: the live floor). */
  liveCalls(): IterableIterator<LiveCall> {
    return this.live.values();
  }

  /** Identity checks not sent because a subscriber's checks are locked (live floor alert). */
  onVerificationLocked(listener: (lock: VerificationLock) => void): () => void {
    this.pushes.on('verification-locked', listener);
    return () => this.pushes.off('verification-locked', listener);
  }

  /** Back-end replies and back-end timeouts once applied to their step (live floor). */
  onBackendOutcome(listener: (outcome: BackendOutcome) => void): () => void {
    this.pushes.on('backend', listener);
    return () => this.pushes.off('backend', listener);
  }

  /**
   * What `call.started` records besides the caller: `cti` (the telephony system put the call through,
   * src/cti), `training` (a trainee's simulated call on this scenario, src/training), `callback` (an
   * outbound call making a work item, src/work-items).
   */
  async start(user: AuthUser, callerNumber: string, flowId: string, context: StartContext = {}): Promise<LiveCall> {
    if (user.role === 'qa') throw new AppError('FORBIDDEN', 'QA staff do not take calls');
    const limit = this.config.MAX_LIVE_CALLS_PER_AGENT;
    const inProgress = this.live.countOf(user.sub);
    if (inProgress >= limit) throw new AppError('TOO_MANY_CALLS', `You have ${inProgress} calls in progress: end one first`, { limit });
    this.catalog.current(flowId);
    const customer = await this.backend.lookupCustomer(callerNumber);
    if (!customer) throw new AppError('NOT_FOUND', `No subscriber with number ${callerNumber}`);
    const at = new Date().toISOString();
    // The version published now, in the variant of the caller's region; the call keeps it to its end.
    const flow = this.catalog.at(flowId, at, customer.region);
    if (!flow) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    const { event, progress } = beginCall(flow, { callId: newCallId(at), agentId: user.sub, callerNumber, customer, at, ...context }, this.catalog);
    await this.log.append(event, progress.record, progress.record.status === 'active' ? undefined : callTrace(progress));
    const live = new LiveCall(progress);
    this.track(live);
    return live;
  }

  async decide(user: AuthUser, decision: Decision): Promise<LiveCall> {
    const call = await this.find(decision.callId, user, decision.seq);
    this.requireOwner(user, call);
    return call.serialize(async () => {
      const current = call.progress.record.seq;
      if (decision.seq !== current) {
        throw new AppError('STALE_SEQ', `This decision answers view ${decision.seq}; the call is at view ${current}`, {
          currentSeq: current,
        });
      }
      const limit = this.config.MAX_CALL_EVENTS;
      if (current >= limit) throw new AppError('CALL_TOO_LONG', `This call has ${current} steps, the most a call may have: hang up to end it`, { limit });
      refuseNotKept(decision.input);
      const payload: Record<string, unknown> = { option: decision.option };
      if (decision.input !== undefined) payload.input = decision.input;
      if (decision.confirmedPrompts !== undefined) payload.confirmedPrompts = confirmedPrompts(call.progress, decision.confirmedPrompts);
      await this.apply(call, { type: 'decision', payload, at: new Date().toISOString() });
      return call;
    });
  }

  async attach(user: AuthUser, callId: string): Promise<LiveCall> {
    const liveBefore = this.live.get(callId);
    let call = await this.find(callId, user);
    // Several nodes: a call another node took since the last heartbeat is stale here; a decision on it
    // is fenced at its write, an attach would show it as it was. Looked up now, then found again. (A
    // call this attach has just claimed or read from the log is as fresh as that.)
    const heldAlready = liveBefore === call && this.live.get(callId) === call;
    if (this.leases.clustered && heldAlready && (await this.leases.movedAway(callId))) call = await this.find(callId, user);
    if (call.progress.record.agentId !== user.sub && user.role !== 'supervisor') {
      throw new AppError('FORBIDDEN', 'This call belongs to another agent');
    }
    return call;
  }

  async hangup(user: AuthUser, callId: string): Promise<LiveCall> {
    const call = await this.find(callId, user);
    this.requireOwner(user, call);
    return call.serialize(async () => {
      if (call.active) await this.apply(call, { type: 'call.hangup', payload: { by: 'agent' }, at: new Date().toISOString() });
      return call;
    });
  }

  /**
   * The agent flags the step on screen as not fitting (docs/REDESIGN.md): a `step.flag` event on the
   * one write path, the call staying in its step and still awaiting what the step waits for (so not
   * through `apply`, which cancels waits and starts the step's effects). The agent's screen gets the
   * new view (its seq moved on). Answers the logged event.
   */
  flagStep(user: AuthUser, callId: string, flag: { reason: string; text: string }): Promise<LoggedEvent> {
    return this.logInPlace(user, callId, 'step.flag', { ...flag });
  }

  /** A scenario answer the agent told the caller (src/knowledge), with the back-end reply it came from: logged where the call is. */
  tellQuickAnswer(user: AuthUser, callId: string, told: Record<string, unknown>): Promise<LoggedEvent> {
    return this.logInPlace(user, callId, 'quick.answer', told);
  }

  private async logInPlace(user: AuthUser, callId: string, type: 'step.flag' | 'quick.answer', payload: Record<string, unknown>): Promise<LoggedEvent> {
    const call = await this.find(callId, user);
    this.requireOwner(user, call);
    return call.serialize(async () => {
      const limit = this.config.MAX_CALL_EVENTS;
      const current = call.progress.record.seq;
      if (current >= limit) throw new AppError('CALL_TOO_LONG', `This call has ${current} steps, the most a call may have: hang up to end it`, { limit });
      const { event, progress } = advance(call.progress, { type, payload, at: new Date().toISOString() }, this.catalog);
      try {
        await this.log.append(event, progress.record, undefined);
      } catch (e) {
        if (e instanceof AppError && e.code === 'CALL_MOVED') this.drop([call.id]);
        throw e;
      }
      call.progress = progress;
      this.pushes.emit('view', call);
      return event;
    });
  }

  /**
   * The caller hung up (the telephony system said so, src/cti): the call is abandoned at the step it
   * reached, by the same event an agent's hang-up logs. An ended call stays as it is. Null: no such call.
   */
  async hangupByCaller(callId: string, detail: Record<string, unknown>): Promise<LiveCall | null> {
    const record = await this.log.findCall(callId);
    if (!record) return null;
    const call = await this.find(callId, { sub: record.agentId, username: record.agentId, role: 'agent' });
    return call.serialize(async () => {
      if (!call.active) return call;
      await this.apply(call, { type: 'call.hangup', payload: { by: 'caller', ...detail }, at: new Date().toISOString() });
      this.pushes.emit('view', call); // the agent's screen learns it from whoever watches the call
      return call;
    });
  }

  /**
   * A live call, or an ended one rebuilt from the log (read-only: every input is refused). Several
   * nodes: a live call another node drives moves here when its own agent asks for it; anyone
   * else (a supervisor) gets a read-only copy as it is now. Ownership is checked before rebuilding.
   */
  private async find(callId: string, user: AuthUser, decidingAt?: number): Promise<LiveCall> {
    const live = this.live.get(callId) ?? (await this.claims.get(callId));
    if (live) return live;
    const record = await this.log.findCall(callId);
    if (!record) throw new AppError('NOT_FOUND', `No call ${callId}`);
    if (record.agentId !== user.sub && user.role !== 'supervisor') throw new AppError('FORBIDDEN', 'This call belongs to another agent');
    const now = this.live.get(callId) ?? (await this.claims.get(callId));
    if (now) return now;
    if (this.leases.clustered && record.status === 'active' && record.agentId === user.sub) {
      // A stale screen's decision does not move the call here only to be refused.
      if (decidingAt !== undefined && decidingAt !== record.seq) {
        throw new AppError('STALE_SEQ', `This decision answers view ${decidingAt}; the call is at view ${record.seq}`, { currentSeq: record.seq });
      }
      return this.claim(callId);
    }
    return this.rebuild(record);
  }

  private claim(callId: string): Promise<LiveCall> {
    const claiming = (async () => {
      if (!(await this.leases.claim(callId))) return this.rebuild((await this.log.findCall(callId))!);
      const log = await this.claimedLogs.load(callId);
      const call = rebuildCall(this.catalog, log.call, log.events, this.logger);
      this.track(call);
      return call;
    })().finally(() => this.claims.delete(callId));
    this.claims.set(callId, claiming);
    return claiming;
  }

  private async logsOf(callIds: readonly string[]): Promise<(CallLog | Error)[]> {
    const logs = new Map((await this.log.callLogs([...new Set(callIds)])).map((log) => [log.call.id, log]));
    return callIds.map((id) => logs.get(id) ?? new AppError('NOT_FOUND', `No call ${id}`));
  }

  /** An ended call as its log has it: rebuilt once, then kept (it never changes) while the cache has room. */
  private async rebuild(record: CallRecord): Promise<LiveCall> {
    // An erased call's rebuild is never served again, on any node (its key is gone from the store, not just here).
    const erased = await this.log.erasedAt(record.id);
    if (erased) {
      this.endedCalls.delete(record.id);
      throw callErased(record.id, erased);
    }
    const kept = this.endedCalls.get(record.id);
    if (kept) {
      this.metrics?.endedCallOpened('rebuild', true);
      return kept;
    }
    // Many screens asking at once (a re-attach storm) share one read of the log and one re-execution.
    const { result, joined } = this.rebuilding(record.id, async () => {
      const call = rebuildCall(this.catalog, record, await this.log.events(record.id), this.logger);
      if (!call.active) this.endedCalls.set(record.id, call);
      return call;
    });
    const call = await result;
    if (!call.active) this.metrics?.endedCallOpened('rebuild', joined);
    return call;
  }

  private requireOwner(user: AuthUser, call: LiveCall): void {
    if (call.progress.record.agentId !== user.sub) throw new AppError('FORBIDDEN', 'This call belongs to another agent');
  }

  /** The one write path: nothing changes in memory until the log has the event. */
  private async apply(call: LiveCall, input: CallInput): Promise<void> {
    const { event, progress } = advance(call.progress, input, this.catalog);
    try {
      // The last event carries the call's trace: its end-of-call outbox row commits with it.
      await this.log.append(event, progress.record, progress.record.status === 'active' ? undefined : callTrace(progress));
    } catch (e) {
      if (e instanceof AppError && e.code === 'CALL_MOVED') this.drop([call.id]);
      throw e;
    }
    call.cancelWaits();
    call.progress = progress;
    if (call.active) this.effects.run(call, progress.effects);
    else {
      this.live.delete(call.id);
      this.leases.release(call.id);
      this.pushes.emit('ended', { callId: progress.record.id, training: progress.training ?? null } satisfies EndedCall);
    }
  }

  /** Calls that have just ended (completed or abandoned), once their last event is in the log. */
  onEnded(listener: (ended: EndedCall) => void): () => void {
    this.pushes.on('ended', listener);
    return () => this.pushes.off('ended', listener);
  }

  private track(call: LiveCall): void {
    this.live.set(call);
    this.effects.run(call, call.progress.effects);
  }
}
