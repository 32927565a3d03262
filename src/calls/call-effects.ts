import type { Logger } from '@nestjs/common';
import { BackendError, type BackendPort } from '../backend/backend.port';
import { AppError } from '../common/app-error';
import type { FlowCatalog } from '../flows/flow-catalog.service';
import { effectOfOperation } from '../flows/registry/operation-effects';
import { operationNamed } from '../flows/registry/registry';
import type { PrometheusMetrics } from '../observability/prometheus-metrics';
import type { BackendOutcome, VerificationLock } from './call-engine-types';
import type { VerificationLocks } from './verification-locks';
import type { LiveCall } from './live-call';
import { type CallInput, type Effect, NOT_KEPT } from './step';

/** First and longest wait before a back-end reply or timeout the log refused is offered to it again. */
const AUTONOMOUS_RETRY_MS = 100;
const AUTONOMOUS_RETRY_MAX_MS = 2_000;

/**
 * The back end as operations see it: a request carrying NOT_KEPT (digits the log does not keep, read
 * back after a crash or a move to another node) is answered INPUT_NOT_KEPT without being sent — the
 * flow's error path asks the caller again — instead of checking the marker as digits (which would
 * count a failed verification against the subscriber).
 */
function refusingNotKept(backend: BackendPort): BackendPort {
  return new Proxy(backend, {
    get: (target, name, receiver) => {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const request = args[0];
        if (request && typeof request === 'object' && Object.values(request).includes(NOT_KEPT)) {
          return Promise.reject(new BackendError('INPUT_NOT_KEPT', 'The digits for this check were not kept across the restart: ask the caller again'));
        }
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** What the effects of a step need from the engine that drives the call. */
export interface EffectHost {
  isStopping(): boolean;
  readonly logger: Logger;
  /** The call is still the one this node drives (not ended, not moved to another node). */
  isDriving(call: LiveCall): boolean;
  /** The engine's one write path. */
  apply(call: LiveCall, input: CallInput): Promise<void>;
  pushView(call: LiveCall): void;
  pushBackend(outcome: BackendOutcome): void;
  /** A subscriber's identity checks are locked (too many failures across calls): the floor raises an alert. */
  verificationLocked(lock: VerificationLock): void;
}

/**
 * A step's effects: its timers armed and its back-end operation run, each outcome applied to the
 * call as an input of its own (logged first, like a decision) if the call still waits on it.
 */
export class CallEffects {
  constructor(
    private readonly host: EffectHost,
    private readonly catalog: FlowCatalog,
    private readonly backend: BackendPort,
    private readonly locks: VerificationLocks,
    private readonly metrics?: PrometheusMetrics,
  ) {
    this.guardedBackend = refusingNotKept(backend);
  }

  private readonly guardedBackend: BackendPort;

  run(call: LiveCall, effects: Effect[]): void {
    const generation = call.generation;
    const stillWaiting = () => !this.host.isStopping() && call.active && call.generation === generation && this.host.isDriving(call);
    for (const effect of effects) {
      if (effect.kind === 'timer') {
        const timer = setTimeout(() => {
          call.dropTimer(timer);
          void this.applyAutonomously(call, stillWaiting, {
            type: 'timeout',
            payload: { event: effect.eventType, afterMs: effect.delayMs },
            at: new Date().toISOString(),
          });
        }, effect.delayMs);
        call.addTimer(timer);
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
    // An identity check of this subscriber is counted across calls; locked, it is not sent at all.
    const check = effectOfOperation(effect.src, effect.input) === 'check';
    const subscriber = record.callerNumber;
    if (check && !(await this.locks.attempt(subscriber))) {
      reply = { ok: true, output: { ok: false, locked: true } };
      // A training call's lock is not an operations alert (the live floor).
      if (!call.progress.training)
        this.host.verificationLocked({ callId: record.id, flowId: call.flow.definition.id, stepId: String(snapshot.value), subscriber, at: Date.now() });
    } else {
      try {
        const output = await operation(this.guardedBackend, {
          callId: record.id,
          idempotencyKey,
          customer: snapshot.context.customer,
          context: snapshot.context,
          input: effect.input,
        });
        reply = { ok: true, output: output ?? null };
        this.metrics?.backendReply(effect.src, (Date.now() - startedAt) / 1000);
        if (check && (output as { ok?: unknown } | null)?.ok === true) await this.locks.passed(subscriber);
      } catch (e) {
        const error = e instanceof BackendError ? { code: e.code, message: e.message } : { code: 'BACKEND_FAILURE', message: (e as Error).message };
        reply = { ok: false, error };
        this.metrics?.backendReply(effect.src, (Date.now() - startedAt) / 1000, error.code);
        if (check) await this.locks.noVerdict(subscriber);
      }
    }
    const payload = { operation: effect.src, invokeId: effect.invokeId, idempotencyKey, ...reply, latencyMs: Date.now() - startedAt };
    await this.applyAutonomously(call, stillWaiting, { type: 'backend.reply', payload, at: new Date().toISOString() });
  }

  private applyAutonomously(call: LiveCall, stillWaiting: () => boolean, input: CallInput, attempt = 0): Promise<void> {
    return call.serialize(async () => {
      if (!stillWaiting()) {
        // Kept in the application log with its payload: a late back-end success must be traceable.
        this.host.logger.warn(`call ${call.id}: ${input.type} arrived after the step moved on; not applied: ${JSON.stringify(input.payload)}`);
        return;
      }
      // What the step was waiting on, before applying moves the call on (a timeout of a back-end step is its failure).
      const waitingOn = call.waitingOn;
      const flowId = call.flow.definition.id;
      const stepId = String(call.progress.snapshot.value);
      try {
        await this.host.apply(call, input);
        this.host.pushView(call);
        // A training call's back-end outcomes are not the floor's failure rates.
        if (call.progress.training) return;
        if (input.type === 'backend.reply') {
          this.host.pushBackend({
            flowId,
            stepId,
            operation: String(input.payload.operation),
            ok: input.payload.ok === true,
            at: Date.now(),
          } satisfies BackendOutcome);
        } else if (input.type === 'timeout' && waitingOn) {
          this.metrics?.backendTimeout(waitingOn.operation);
          this.host.pushBackend({
            flowId,
            stepId,
            operation: waitingOn.operation,
            ok: false,
            at: Date.now(),
          } satisfies BackendOutcome);
        }
      } catch (e) {
        this.host.logger.error(`call ${call.id}: ${input.type} could not be applied: ${(e as Error).message}`);
        // No agent to tell: a reply or timeout the log could not take is offered again until it
        // is logged or the step has moved on (its other outcome won, the call was hung up).
        if (e instanceof AppError && e.code === 'LOG_UNAVAILABLE' && stillWaiting()) {
          const timer = setTimeout(
            () => {
              call.dropTimer(timer);
              void this.applyAutonomously(call, stillWaiting, input, attempt + 1);
            },
            Math.min(AUTONOMOUS_RETRY_MS * 2 ** attempt, AUTONOMOUS_RETRY_MAX_MS),
          );
          call.addTimer(timer);
        }
      }
    });
  }
}
