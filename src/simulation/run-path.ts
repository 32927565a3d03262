import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../backend/simulator/simulator-backend';
import { advance, beginCall, type CallInput, type CallProgress, type Effect, promptsFor, stepIdOf, stepMeta, stepOffers } from '../calls/step';
import type { CallRecord, LoggedEvent } from '../decision-log/decision-log';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { transition } from 'xstate';
import { describeReply, settle, startOperations } from './backend-operations';
import { inputChoices, secretsOf } from './caller-inputs';
import { analyseFlow, type FlowAnalysis } from './flow-analysis';
import { eventsAt, vertexOf } from './path-events';
import { COVERAGE_START, labelName, type PathLabel, type PathStep } from './path-model';

export interface RunTarget {
  /** The steps to take, with the concrete option inputs to try first. */
  steps: PathStep[];
  final: string;
  outcome: string;
  /** `loop`: after `steps`, go on to any ending by the shortest way this customer's back end allows. */
  kind?: 'simple' | 'loop';
  /** A loop path's last step leads here. */
  next?: string;
}

export interface RunOptions {
  flow: CompiledFlow;
  /** Resolves flows while the call runs (offers' follow-on flows, hang-up). */
  flows: FlowResolver;
  fixtures: CustomerFixture[];
  /** Demo customer (msisdn) who calls. */
  msisdn: string;
  callId: string;
  /** How long a back-end step may take before it counts as timed out (the simulator answers at once). Default 50 ms. */
  settleMs?: number;
  /** Start of the logical clock stamped on events (1 s per event). */
  startAt?: Date;
  /** Cap on runs when trying alternative free inputs (ID digits, entry month). Default 16. */
  maxAttempts?: number;
  /** The flow's analysis (computed if missing); a loop path's onward way is chosen with it. */
  analysis?: FlowAnalysis;
  /** Cap on the steps of a loop path's onward way. Default 60. */
  maxTailSteps?: number;
}

export interface RunFailure {
  step: number;
  state: string;
  label: string;
  reason: string;
}

export interface RunResult {
  msisdn: string;
  reached: boolean;
  events: LoggedEvent[];
  record: CallRecord | null;
  progress: CallProgress | null;
  /** Why the customer does not reach the path (on the attempt that got furthest). */
  failure: RunFailure | null;
  attempts: number;
  /** The ending the call reached (for a loop path, the one its onward way led to). */
  final: string | null;
  outcome: string | null;
  /** A loop path's onward way, as taken. */
  tail: PathStep[];
  /**
   * What each decision sent as its input, in order (undefined: none) — the log keeps secret digits
   * only as '[not kept]', so a client replaying the run must send these instead.
   */
  decisionInputs: unknown[];
}

/**
 * Runs one path end to end as the engine would, through the real pure step function (`beginCall`,
 * then `advance` per input) with the real SimulatorBackend (latency 0) for one demo customer:
 * agent decisions are `decision` inputs; each back-end step is the registry operation called on
 * the simulator, its real answer fed as `backend.reply`; a step the simulator leaves unanswered
 * for `settleMs` is fed as the `timeout` input of the step's timer. The customer reaches the path
 * only if every input is accepted and every step lands where the path says.
 */
export async function runPath(target: RunTarget, runOptions: RunOptions): Promise<RunResult> {
  const options = {
    ...runOptions,
    analysis: runOptions.analysis ?? analyseFlow(runOptions.flow.definition, runOptions.flows.matrix(COVERAGE_START)),
  };
  const { fixtures, msisdn } = options;
  const fixture = fixtures.find((f) => f.msisdn === msisdn);
  if (!fixture) throw new Error(`no demo customer ${msisdn}`);
  const maxAttempts = options.maxAttempts ?? 16;
  const decisions = target.steps.map((s, i) => (s.label.kind === 'decision' ? i : -1)).filter((i) => i >= 0);
  let choices = decisions.map(() => 0);
  let best: RunResult | null = null;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const result = await runOnce(target, options, fixture, choices, attempt);
    if (result.reached) return result;
    if (!best || (result.failure?.step ?? -1) > (best.failure?.step ?? -1)) best = result;
    // Backtrack: the last decision before the failure that still has another input to try.
    const limits = (result as RunResult & { limits: number[] }).limits;
    const failedAt = result.failure?.step ?? target.steps.length;
    let c = decisions.filter((i) => i <= failedAt).length - 1;
    while (c >= 0 && choices[c] + 1 >= (limits[c] ?? 1)) c--;
    if (c < 0) return { ...best, attempts: attempt };
    choices = choices.map((x, i) => (i < c ? x : i === c ? x + 1 : 0));
  }
  return { ...best!, attempts: maxAttempts };
}

async function runOnce(
  target: RunTarget,
  options: RunOptions & { analysis: FlowAnalysis },
  fixture: CustomerFixture,
  choices: number[],
  attempt: number,
): Promise<RunResult & { limits: number[] }> {
  const { flow, flows, fixtures, msisdn } = options;
  const settleMs = options.settleMs ?? 50;
  const backend = new SimulatorBackend(fixtures, 0);
  const profile = (await backend.lookupCustomer(msisdn))!;
  const secrets = secretsOf(fixture, profile);
  const start = (options.startAt ?? new Date(COVERAGE_START)).getTime();
  let tick = 0;
  const at = () => new Date(start + 1000 * tick++).toISOString();
  const callId = attempt === 1 ? options.callId : `${options.callId}~${attempt}`;

  const events: LoggedEvent[] = [];
  const limits: number[] = [];
  let decisionIndex = 0;
  let { event, progress } = beginCall(flow, { callId, agentId: 'coverage', callerNumber: msisdn, customer: profile, at: at() });
  events.push(event);
  let pending = startOperations(progress, backend);
  const tail: PathStep[] = [];
  const decisionInputs: unknown[] = [];
  const followedOn = () => progress.segments.length > 1;
  /** The ending a finished first business stopped at, from its outcome (the path's own ending if it has that outcome). */
  const endingOf = (outcome: string | null) =>
    options.analysis.finals.get(target.final) === outcome ? target.final : ([...options.analysis.finals].find(([, o]) => o === outcome)?.[0] ?? `?${outcome}`);
  const fail = (step: number, reason: string) => ({
    msisdn,
    reached: false,
    events,
    record: progress.record,
    progress,
    attempts: attempt,
    limits,
    final: null,
    outcome: null,
    tail,
    decisionInputs,
    failure: {
      step,
      state: target.steps[step]?.state ?? target.final,
      label: target.steps[step] ? labelName(target.steps[step].label) : 'end',
      reason,
    },
  });

  for (const [i, step] of target.steps.entries()) {
    const expectedAfter = target.steps[i + 1]?.state ?? (target.kind === 'loop' ? (target.next ?? null) : target.final);
    if (progress.record.status !== 'active' || stepIdOf(progress.snapshot) !== step.state)
      return fail(i, `call is at '${progress.record.state}' (${progress.record.status})`);
    const label = step.label;
    let input: CallInput;
    if (label.kind === 'decision') {
      const alternatives = inputChoices(flow, step, secrets);
      limits[decisionIndex] = alternatives.length;
      const raw = alternatives[choices[decisionIndex] ?? 0];
      decisionIndex++;
      const meta = stepMeta(flow.definition, step.state);
      const confirmedPrompts = promptsFor(meta, progress.snapshot.context).map((p) => p.id);
      const payload: Record<string, unknown> = { option: label.option };
      if (raw !== undefined) payload.input = raw;
      decisionInputs.push(raw);
      if (confirmedPrompts.length) payload.confirmedPrompts = confirmedPrompts;
      input = { type: 'decision', payload, at: '' };
    } else if (label.kind === 'done' || label.kind === 'error') {
      const op = pending.get(label.invokeId);
      if (!op) return fail(i, `no back-end step '${label.invokeId}' was started`);
      await settle([op], settleMs);
      const wanted = label.kind === 'done';
      if (!op.reply) return fail(i, `${op.effect.src}: no answer within ${settleMs} ms (the back end times out)`);
      if (op.reply.ok !== wanted) return fail(i, `${op.effect.src} answered ${describeReply(op.reply)}`);
      const payload = {
        operation: op.effect.src,
        invokeId: op.effect.invokeId,
        idempotencyKey: op.idempotencyKey,
        ...op.reply,
        latencyMs: Date.now() - op.startedAt,
      };
      input = { type: 'backend.reply', payload, at: '' };
    } else {
      const ops = [...pending.values()];
      await settle(ops, settleMs);
      const answered = ops.find((o) => o.reply);
      if (answered) return fail(i, `${answered.effect.src} answered ${describeReply(answered.reply)} before the timer`);
      const timer = progress.effects.find((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer' && e.eventType === label.eventType);
      if (!timer) return fail(i, `no timer '${label.eventType}' was started`);
      input = { type: 'timeout', payload: { event: timer.eventType, afterMs: timer.delayMs }, at: '' };
    }
    try {
      ({ event, progress } = advance(progress, { ...input, at: at() }, flows));
    } catch (e) {
      return fail(i, `refused: ${(e as Error).message}`);
    }
    events.push(event);
    // An accepted offer whose product flow the resolver has moves the call on into it at once.
    const landed = followedOn() ? endingOf(progress.segments[0].outcome) : event.stateAfter;
    if (expectedAfter !== null && landed !== expectedAfter) return fail(i, `went to '${event.stateAfter}' instead of '${expectedAfter}'`);
    pending = startOperations(progress, backend);
  }

  if (target.kind === 'loop') {
    // On to an ending: back-end answers as the simulator gives them; decisions chosen towards the
    // nearest successful ending, never the same decision twice at the same vertex if another exists.
    const { analysis } = options;
    const used = new Set<string>();
    for (let n = 0; progress.record.status === 'active' && progress.snapshot.status === 'active' && !followedOn(); n++) {
      const state = stepIdOf(progress.snapshot);
      if (n >= (options.maxTailSteps ?? 60)) return fail(target.steps.length, `no ending within ${n} steps after the loop (at '${state}')`);
      let input: CallInput;
      let label: PathLabel;
      const ops = [...pending.values()];
      const timer = progress.effects.find((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer');
      if (ops.length) await settle(ops, settleMs);
      const answered = ops.find((o) => o.reply);
      if (answered) {
        const { effect, reply } = answered;
        input = {
          type: 'backend.reply',
          payload: {
            operation: effect.src,
            invokeId: effect.invokeId,
            idempotencyKey: answered.idempotencyKey,
            ...reply,
            latencyMs: Date.now() - answered.startedAt,
          },
          at: '',
        };
        label = reply!.ok
          ? { kind: 'done', invokeId: effect.invokeId, src: effect.src, output: reply!.output }
          : { kind: 'error', invokeId: effect.invokeId, src: effect.src, error: reply!.error };
      } else {
        const decisions = eventsAt(flow, analysis, progress.snapshot, flows, stepOffers(progress, flows)).filter((e) => e.$label.kind === 'decision');
        if (!decisions.length && !timer) return fail(target.steps.length, `stuck at '${state}' after the loop: no option, no answer, no timer`);
        if (!decisions.length || (ops.length && timer)) {
          input = { type: 'timeout', payload: { event: timer!.eventType, afterMs: timer!.delayMs }, at: '' };
          label = { kind: 'timeout', delay: timer!.eventType.split('.')[2], eventType: timer!.eventType };
        } else {
          const here = vertexOf(analysis, progress.snapshot);
          const score = (e: (typeof decisions)[number]) => {
            const to = stepIdOf(transition(flow.machine, progress.snapshot, e)[0]);
            return [used.has(`${here}|${JSON.stringify(e.$label)}`) ? 1 : 0, analysis.toSuccess.get(to) ?? Infinity, analysis.toEnding.get(to) ?? Infinity];
          };
          const ranked = decisions.map((e) => ({ e, s: score(e) })).sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1] || a.s[2] - b.s[2]);
          const chosen = ranked[0].e;
          used.add(`${here}|${JSON.stringify(chosen.$label)}`);
          const decision = chosen.$label as Extract<PathLabel, { kind: 'decision' }>;
          // Free inputs (ID digits, entry month): the caller's real answer, so the check can pass.
          const raw = inputChoices(flow, { state, label: decision }, secrets).at(-1);
          label = { ...decision, ...(raw ? { input: raw } : {}) };
          decisionInputs.push(raw);
          const confirmedPrompts = promptsFor(stepMeta(flow.definition, state), progress.snapshot.context).map((p) => p.id);
          input = {
            type: 'decision',
            payload: { option: decision.option, ...(raw ? { input: raw } : {}), ...(confirmedPrompts.length ? { confirmedPrompts } : {}) },
            at: '',
          };
        }
      }
      try {
        ({ event, progress } = advance(progress, { ...input, at: at() }, flows));
      } catch (e) {
        return fail(target.steps.length, `after the loop, at '${state}' ${labelName(label)} was refused: ${(e as Error).message}`);
      }
      events.push(event);
      tail.push({ state, label });
      pending = startOperations(progress, backend);
    }
  }

  const segment = progress.segments[0];
  const final = followedOn() ? endingOf(segment.outcome) : stepIdOf(progress.snapshot);
  if (segment.status !== 'done' || (target.kind !== 'loop' && (final !== target.final || segment.outcome !== target.outcome))) {
    return fail(target.steps.length, `ended at '${final}' with outcome ${segment.outcome}, expected '${target.final}' (${target.outcome})`);
  }
  return {
    msisdn,
    reached: true,
    events,
    record: progress.record,
    progress,
    failure: null,
    attempts: attempt,
    limits,
    final,
    outcome: segment.outcome,
    tail,
    decisionInputs,
  };
}
