import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { AuthUser } from '../auth/auth-user';
import { BackendError, BackendPort } from '../backend/backend.port';
import { AppError } from '../common/app-error';
import { CallRecord, DecisionLog } from '../decision-log/decision-log';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { operationNamed } from '../flows/registry/registry';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import type { BackendOutcome, Decision } from './call-engine-types';
import { LiveCall } from './live-call';
import { checkChainsLater, rebuildCall } from './call-rebuild';
import { advance, beginCall, type CallInput, callTrace, confirmedPrompts, type Effect } from './step';
import { type CallNotRecovered, notRecovered } from './unrecovered-call';

/** First and longest wait before a back-end reply or timeout the log refused is offered to it again. */
const AUTONOMOUS_RETRY_MS = 100;
const AUTONOMOUS_RETRY_MAX_MS = 2_000;

/**
 * Drives live calls. Every input — an agent's decision, a back-end reply, a timeout — goes the
 * same way: validated and applied by the pure `advance`, appended to the decision log, and only
 * once the log has it does the call move on in memory and anyone get told.
 */
@Injectable()
export class CallEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallEngine.name);
  private readonly live = new Map<string, LiveCall>();
  private readonly pushes = new EventEmitter();
  /** Active calls the boot could not rebuild, by id: reported in health; an agent attaching gets a typed error. */
  private readonly notRecovered = new Map<string, CallNotRecovered>();
  private stopping = false;

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly log: DecisionLog,
    private readonly backend: BackendPort,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {
    this.pushes.setMaxListeners(0);
    metrics?.bind({ callsActive: () => this.live.size });
  }

  /** Crash recovery: every call still active in the log is rebuilt and its pending back-end step resumed. */
  async onApplicationBootstrap(): Promise<void> {
    const started = performance.now();
    const logs = await this.log.activeCallLogs();
    const read = performance.now();
    for (const { call, events } of logs) {
      try {
        const live = rebuildCall(this.catalog, call, events, this.logger, false);
        this.live.set(call.id, live);
        this.runEffects(live, live.progress.effects);
      } catch (e) {
        this.logger.error(`call ${call.id} could not be recovered: ${(e as Error).message}`);
        this.notRecovered.set(call.id, notRecovered(call, e));
      }
    }
    const time = { reading: read - started, rebuilding: performance.now() - read };
    checkChainsLater(logs, this.logger);
    // The bench (bench/lib/recovery-phase.mjs) reads this line: where a restart's time goes.
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    if (logs.length)
      this.logger.log(
        `recovered ${this.live.size} of ${logs.length} active call(s) in ${ms(performance.now() - started)} (reading ${ms(time.reading)}, rebuilding ${ms(time.rebuilding)})`,
      );
  }

  /** Active calls the boot could not recover (health). */
  callsNotRecovered(): CallNotRecovered[] {
    return [...this.notRecovered.values()];
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    this.live.forEach((call) => call.cancelWaits());
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

  /** Back-end replies and back-end timeouts once applied to their step (live floor). */
  onBackendOutcome(listener: (outcome: BackendOutcome) => void): () => void {
    this.pushes.on('backend', listener);
    return () => this.pushes.off('backend', listener);
  }

  async start(user: AuthUser, callerNumber: string, flowId: string): Promise<LiveCall> {
    if (user.role === 'qa') throw new AppError('FORBIDDEN', 'QA staff do not take calls');
    this.catalog.current(flowId);
    const customer = await this.backend.lookupCustomer(callerNumber);
    if (!customer) throw new AppError('NOT_FOUND', `No subscriber with number ${callerNumber}`);
    const at = new Date().toISOString();
    // The version published now, in the variant of the caller's region; the call keeps it to its end.
    const flow = this.catalog.at(flowId, at, customer.region);
    if (!flow) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    const { event, progress } = beginCall(flow, { callId: randomUUID(), agentId: user.sub, callerNumber, customer, at }, this.catalog);
    await this.log.append(event, progress.record, progress.record.status === 'active' ? undefined : callTrace(progress));
    const live = new LiveCall(progress);
    this.track(live);
    return live;
  }

  async decide(user: AuthUser, decision: Decision): Promise<LiveCall> {
    const call = await this.find(decision.callId);
    this.requireOwner(user, call);
    return call.serialize(async () => {
      const current = call.progress.record.seq;
      if (decision.seq !== current) {
        throw new AppError('STALE_SEQ', `This decision answers view ${decision.seq}; the call is at view ${current}`, {
          currentSeq: current,
        });
      }
      const payload: Record<string, unknown> = { option: decision.option };
      if (decision.input !== undefined) payload.input = decision.input;
      if (decision.confirmedPrompts !== undefined) payload.confirmedPrompts = confirmedPrompts(call.progress, decision.confirmedPrompts);
      await this.apply(call, { type: 'decision', payload, at: new Date().toISOString() });
      return call;
    });
  }

  async attach(user: AuthUser, callId: string): Promise<LiveCall> {
    const call = await this.find(callId);
    if (call.progress.record.agentId !== user.sub && user.role !== 'supervisor') {
      throw new AppError('FORBIDDEN', 'This call belongs to another agent');
    }
    return call;
  }

  async hangup(user: AuthUser, callId: string): Promise<LiveCall> {
    const call = await this.find(callId);
    this.requireOwner(user, call);
    return call.serialize(async () => {
      if (call.active) await this.apply(call, { type: 'call.hangup', payload: { by: 'agent' }, at: new Date().toISOString() });
      return call;
    });
  }

  /** A live call, or an ended one rebuilt from the log (read-only: every input is refused). */
  private async find(callId: string): Promise<LiveCall> {
    const live = this.live.get(callId);
    if (live) return live;
    const record = await this.log.findCall(callId);
    if (!record) throw new AppError('NOT_FOUND', `No call ${callId}`);
    return this.live.get(callId) ?? this.rebuild(record);
  }

  private async rebuild(record: CallRecord): Promise<LiveCall> {
    return rebuildCall(this.catalog, record, await this.log.events(record.id), this.logger);
  }

  private requireOwner(user: AuthUser, call: LiveCall): void {
    if (call.progress.record.agentId !== user.sub) throw new AppError('FORBIDDEN', 'This call belongs to another agent');
  }

  /** The one write path: nothing changes in memory until the log has the event. */
  private async apply(call: LiveCall, input: CallInput): Promise<void> {
    const { event, progress } = advance(call.progress, input, this.catalog);
    // The last event carries the call's trace: its end-of-call outbox row commits with it.
    await this.log.append(event, progress.record, progress.record.status === 'active' ? undefined : callTrace(progress));
    call.cancelWaits();
    call.progress = progress;
    if (call.active) this.runEffects(call, progress.effects);
    else {
      this.live.delete(call.id);
      this.pushes.emit('ended', progress.record.id);
    }
  }

  /** Calls that have just ended (completed or abandoned), once their last event is in the log. */
  onEnded(listener: (callId: string) => void): () => void {
    this.pushes.on('ended', listener);
    return () => this.pushes.off('ended', listener);
  }

  private track(call: LiveCall): void {
    this.live.set(call.id, call);
    this.runEffects(call, call.progress.effects);
  }

  private runEffects(call: LiveCall, effects: Effect[]): void {
    const generation = call.generation;
    const stillWaiting = () => !this.stopping && call.active && call.generation === generation && this.live.get(call.id) === call;
    for (const effect of effects) {
      if (effect.kind === 'timer') {
        const timer = setTimeout(() => {
          call.timers.delete(timer);
          void this.applyAutonomously(call, stillWaiting, {
            type: 'timeout',
            payload: { event: effect.eventType, afterMs: effect.delayMs },
            at: new Date().toISOString(),
          });
        }, effect.delayMs);
        call.timers.add(timer);
      } else {
        void this.runOperation(call, effect, stillWaiting);
      }
    }
  }

  private async runOperation(call: LiveCall, effect: Extract<Effect, { kind: 'operation' }>, stillWaiting: () => boolean): Promise<void> {
    const { record, snapshot } = call.progress;
    // The same key on a retry after a crash: the back end answers it at most once.
    const idempotencyKey = `${record.id}:${record.seq}`;
    const operation = operationNamed(this.catalog.registry, effect.src);
    const startedAt = Date.now();
    if (stillWaiting()) call.waitingOn = { operation: effect.src, since: startedAt };
    let reply: Record<string, unknown>;
    try {
      const output = await operation(this.backend, {
        callId: record.id,
        idempotencyKey,
        customer: snapshot.context.customer,
        context: snapshot.context,
        input: effect.input,
      });
      reply = { ok: true, output: output ?? null };
      this.metrics?.backendReply(effect.src, (Date.now() - startedAt) / 1000);
    } catch (e) {
      const error = e instanceof BackendError ? { code: e.code, message: e.message } : { code: 'BACKEND_FAILURE', message: (e as Error).message };
      reply = { ok: false, error };
      this.metrics?.backendReply(effect.src, (Date.now() - startedAt) / 1000, error.code);
    }
    const payload = { operation: effect.src, invokeId: effect.invokeId, idempotencyKey, ...reply, latencyMs: Date.now() - startedAt };
    await this.applyAutonomously(call, stillWaiting, { type: 'backend.reply', payload, at: new Date().toISOString() });
  }

  private applyAutonomously(call: LiveCall, stillWaiting: () => boolean, input: CallInput, attempt = 0): Promise<void> {
    return call.serialize(async () => {
      if (!stillWaiting()) {
        // Kept in the application log with its payload: a late back-end success must be traceable.
        this.logger.warn(`call ${call.id}: ${input.type} arrived after the step moved on; not applied: ${JSON.stringify(input.payload)}`);
        return;
      }
      // What the step was waiting on, before applying moves the call on (a timeout of a back-end step is its failure).
      const waitingOn = call.waitingOn;
      const flowId = call.flow.definition.id;
      const stepId = String(call.progress.snapshot.value);
      try {
        await this.apply(call, input);
        this.pushes.emit('view', call);
        if (input.type === 'backend.reply') {
          this.pushes.emit('backend', {
            flowId,
            stepId,
            operation: String(input.payload.operation),
            ok: input.payload.ok === true,
            at: Date.now(),
          } satisfies BackendOutcome);
        } else if (input.type === 'timeout' && waitingOn) {
          this.metrics?.backendTimeout(waitingOn.operation);
          this.pushes.emit('backend', {
            flowId,
            stepId,
            operation: waitingOn.operation,
            ok: false,
            at: Date.now(),
          } satisfies BackendOutcome);
        }
      } catch (e) {
        this.logger.error(`call ${call.id}: ${input.type} could not be applied: ${(e as Error).message}`);
        // No agent to tell: a reply or timeout the log could not take is offered again until it
        // is logged or the step has moved on (its other outcome won, the call was hung up).
        if (e instanceof AppError && e.code === 'LOG_UNAVAILABLE' && stillWaiting()) {
          const timer = setTimeout(
            () => {
              call.timers.delete(timer);
              void this.applyAutonomously(call, stillWaiting, input, attempt + 1);
            },
            Math.min(AUTONOMOUS_RETRY_MS * 2 ** attempt, AUTONOMOUS_RETRY_MAX_MS),
          );
          call.timers.add(timer);
        }
      }
    });
  }
}
