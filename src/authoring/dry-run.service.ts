import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { DryRunState } from '../../protocol/authoring';
import type { AuthUser } from '../auth/auth-user';
import { BackendError } from '../backend/backend.port';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../backend/simulator/simulator-backend';
import { advance, beginCall, type CallInput, type CallProgress, type Effect, renderView } from '../calls';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { LoggedEvent } from '../decision-log/decision-log';
import type { Locale } from '../flows/flow-definition';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { flowForRegion } from '../flows/regional-variant';
import { operationNamed } from '../flows/registry/registry';
import { FlowAuthoring } from './flow-authoring.service';

/** How long a dry run waits for the simulator before it takes the step's timeout path. */
const DRY_RUN_BACKEND_WAIT_MS = 3000;
const MAX_DRY_RUNS = 200;

interface DryRun {
  id: string;
  owner: string;
  flow: CompiledFlow;
  flows: FlowResolver;
  progress: CallProgress;
  events: LoggedEvent[];
  lastUsed: number;
}

/**
 * A draft (or any version) run step by step against a simulator customer with the same pure step
 * function the engine uses, in memory: nothing reaches the decision log, so dry runs never mix with
 * real calls. Back-end steps go to a simulator of their own, answered at once.
 */
@Injectable()
export class DryRuns {
  private readonly runs = new Map<string, DryRun>();
  private readonly backend: SimulatorBackend;

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly authoring: FlowAuthoring,
    config: AppConfig,
  ) {
    this.backend = new SimulatorBackend(loadCustomerFixtures(path.resolve(config.CUSTOMERS_FILE)), 0);
  }

  async start(user: AuthUser, flowId: string, version: number, msisdn: string, locale: Locale): Promise<DryRunState> {
    // 422 VERSION_DOES_NOT_LOAD (with the loader's problems) for a version that does not load: fix it first.
    const base = await this.authoring.loaded(flowId, version);
    const customer = await this.backend.lookupCustomer(msisdn);
    if (!customer) throw new AppError('NOT_FOUND', `No simulator customer ${msisdn}`);
    const flow = flowForRegion(base, customer.region, this.catalog.registry);
    // Other businesses the run moves into (accepted offers, hang-up) are the ones in force.
    const flows: FlowResolver = {
      exact: (id, v, region) => (id === flowId && v === version ? flowForRegion(base, region, this.catalog.registry) : this.catalog.exact(id, v, region)),
      at: (id, at, region) => (id === flowId ? flowForRegion(base, region, this.catalog.registry) : this.catalog.at(id, at, region)),
      hangUp: (at, region) => this.catalog.hangUp(at, region),
      matrix: (at) => this.catalog.matrix(at),
    };
    const id = randomUUID();
    const { event, progress } = beginCall(flow, {
      callId: `dry-run-${id}`,
      agentId: user.sub,
      callerNumber: msisdn,
      customer,
      at: new Date().toISOString(),
    });
    const run: DryRun = { id, owner: user.sub, flow, flows, progress, events: [event], lastUsed: Date.now() };
    this.keep(run);
    await this.settleBackEnd(run);
    return this.state(run, locale);
  }

  async decide(
    user: AuthUser,
    id: string,
    decision: { seq: number; option: string; input?: Record<string, unknown>; confirmedPrompts?: string[] },
    locale: Locale,
  ): Promise<DryRunState> {
    const run = this.runs.get(id);
    if (!run || run.owner !== user.sub) throw new AppError('NOT_FOUND', `No dry run ${id}`);
    run.lastUsed = Date.now();
    if (decision.seq !== run.progress.record.seq) {
      throw new AppError('STALE_SEQ', `This decision answers view ${decision.seq}; the dry run is at view ${run.progress.record.seq}`, {
        currentSeq: run.progress.record.seq,
      });
    }
    const payload: Record<string, unknown> = { option: decision.option };
    if (decision.input !== undefined) payload.input = decision.input;
    if (decision.confirmedPrompts !== undefined) payload.confirmedPrompts = decision.confirmedPrompts;
    this.apply(run, { type: 'decision', payload, at: new Date().toISOString() });
    await this.settleBackEnd(run);
    return this.state(run, locale);
  }

  private apply(run: DryRun, input: CallInput): void {
    const { event, progress } = advance(run.progress, input, run.flows);
    run.events.push(event);
    run.progress = progress;
  }

  /** Runs the back-end steps the view started, one after another, until the run waits for the agent. */
  private async settleBackEnd(run: DryRun): Promise<void> {
    for (let guard = 0; guard < 50 && run.progress.record.status === 'active'; guard++) {
      const operation = run.progress.effects.find((e): e is Extract<Effect, { kind: 'operation' }> => e.kind === 'operation');
      if (!operation) return;
      const timer = run.progress.effects.find((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer');
      const { record, snapshot } = run.progress;
      const idempotencyKey = `${record.id}:${record.seq}`;
      const call = operationNamed(this.catalog.registry, operation.src)(this.backend, {
        callId: record.id,
        idempotencyKey,
        customer: snapshot.context.customer,
        context: snapshot.context,
        input: operation.input,
      }).then(
        (output) => ({ ok: true, output: output ?? null }),
        (e: Error) => ({
          ok: false,
          error: e instanceof BackendError ? { code: e.code, message: e.message } : { code: 'BACKEND_FAILURE', message: e.message },
        }),
      );
      let wait: NodeJS.Timeout | undefined;
      const reply = await Promise.race([call, new Promise<null>((r) => (wait = setTimeout(() => r(null), DRY_RUN_BACKEND_WAIT_MS)))]);
      clearTimeout(wait);
      const at = new Date().toISOString();
      if (reply)
        this.apply(run, {
          type: 'backend.reply',
          payload: { operation: operation.src, invokeId: operation.invokeId, idempotencyKey, ...reply },
          at,
        });
      else if (timer) this.apply(run, { type: 'timeout', payload: { event: timer.eventType, afterMs: timer.delayMs }, at });
      else return;
    }
  }

  private state(run: DryRun, locale: Locale): DryRunState {
    const view = renderView(run.progress, locale, run.flows, this.catalog.businesses(), (id) => this.catalog.titleOf(id));
    return { dryRunId: run.id, flowId: run.flow.definition.id, version: run.flow.definition.version, view, events: run.events };
  }

  private keep(run: DryRun): void {
    this.runs.set(run.id, run);
    if (this.runs.size > MAX_DRY_RUNS) {
      const oldest = [...this.runs.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      this.runs.delete(oldest.id);
    }
  }
}
