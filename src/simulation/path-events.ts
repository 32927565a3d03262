// What the enumeration may feed the machine at a step: agent options, back-end replies, timers.
import { type AnyMachineSnapshot, transition } from 'xstate';
import { availableOptions, type CallProgress, resolveDecisionInput, stepIdOf, stepMeta, stepOffers } from '../calls/step';
import { evaluate } from '../flows/conditions';
import type { ConditionExpr, InputDefinition, OfferDefinition } from '../flows/flow-definition';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import type { FlowAnalysis } from './flow-analysis';
import { COVERAGE_START, labelName, type PathEvent, type PathLabel } from './path-model';

/**
 * The vertex of the enumeration graph: the step plus what of the context can still change what
 * happens — the truth of every test (guard, rule, offer `when`) of the steps still reachable, and
 * the (clamped) value of every counter those tests read. Everything else (ticket ids, stored
 * errors, display-only facts) is ignored, so a retry that changes nothing that matters is a loop.
 */
export function vertexOf(analysis: FlowAnalysis, snapshot: AnyMachineSnapshot): string {
  const id = stepIdOf(snapshot);
  if (snapshot.status === 'done') return JSON.stringify([id]);
  const context = snapshot.context as Record<string, unknown>;
  const atoms = analysis.liveAtoms.get(id) ?? [];
  const truth = atoms.map((a) => (evaluate({ fact: a.fact, ...a.test } as ConditionExpr, context) ? 1 : 0)).join('');
  const counters = [...analysis.counters].filter(([k]) => atoms.some((a) => a.fact === k)).map(([k, max]) => [k, Math.min(Number(context[k] ?? 0), max)]);
  return JSON.stringify([id, truth, counters]);
}

function digitsSample(def: InputDefinition): string {
  return def.length ? '0'.repeat(def.length) : '0';
}

/** Raw input values the enumeration tries for one input (validity is checked by the engine's own resolver). */
function inputCandidates(analysis: FlowAnalysis, def: InputDefinition, offers: string[]): unknown[] {
  const fromTests = (analysis.inputSamples.get(def.name) ?? []).filter((v) => typeof v === 'string');
  switch (def.type) {
    case 'enum':
      return (def.values ?? []).map((v) => v.id);
    case 'offer':
      return offers;
    case 'digits':
      return [...new Set([...fromTests, digitsSample(def)])];
    case 'string':
      return [...new Set([...fromTests, 'sample'])];
  }
}

function product(lists: [string, unknown[]][]): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of lists) out = out.flatMap((o) => values.map((v) => ({ ...o, [name]: v })));
  return out;
}

/**
 * The offers shown at a snapshot, by the engine's own rule (`stepOffers`), for a call that is at its
 * first business and has not pitched this point before.
 */
export function offersAt(flow: CompiledFlow, snapshot: AnyMachineSnapshot, flows: FlowResolver | null, startedAt = COVERAGE_START) {
  const { id, version } = flow.definition;
  const progress = {
    flow,
    snapshot,
    record: { startedAt, seq: 0 },
    segments: [{ flowId: id, version, status: 'active', outcome: null, by: 'start' }],
    needs: [],
    mode: 'direct',
    pitched: [],
    enteredSeq: 0,
    effects: [],
  } as unknown as CallProgress;
  return stepOffers(progress, flows);
}

/**
 * The events the enumeration offers at a snapshot, as the engine could receive them: each option
 * available to the agent (with every enum value / shown offer / sample input), each back-end
 * reply of each invoked step (sample outputs and errors), each named delay. Events that lead to
 * the same vertex under the same label are offered once.
 */
export function eventsAt(
  flow: CompiledFlow,
  analysis: FlowAnalysis,
  snapshot: AnyMachineSnapshot,
  flows: FlowResolver | null = null,
  /** The offers shown, when known (a running call); else as at a first visit (offersAt). */
  offers?: OfferDefinition[],
): PathEvent[] {
  if (snapshot.status !== 'active') return [];
  const id = stepIdOf(snapshot);
  const node = flow.definition.machine.states[id];
  const meta = stepMeta(flow.definition, id);
  const candidates: PathEvent[] = [];

  const shown = offers ?? offersAt(flow, snapshot, flows);
  const offerIds = shown.map((o) => o.id);
  for (const option of availableOptions(flow, snapshot, shown)) {
    const defs = (meta.inputs ?? []).filter((i) => option.inputs?.includes(i.name));
    for (const raw of product(defs.map((d) => [d.name, inputCandidates(analysis, d, offerIds)]))) {
      let input: Record<string, unknown>;
      try {
        input = resolveDecisionInput(meta, option, raw, shown);
      } catch {
        continue; // a value the engine would refuse
      }
      const label: PathLabel = { kind: 'decision', option: option.id, event: option.event, ...(defs.length ? { input: raw } : {}) };
      candidates.push({ type: option.event, input, $label: label });
    }
  }
  for (const inv of analysis.invokes.get(id) ?? []) {
    for (const output of analysis.doneSamples.get(inv.id) ?? [{}]) {
      candidates.push({ type: `xstate.done.actor.${inv.id}`, output, $label: { kind: 'done', invokeId: inv.id, src: inv.src, output } });
    }
    for (const error of analysis.errorSamples.get(inv.id) ?? []) {
      candidates.push({ type: `xstate.error.actor.${inv.id}`, error, $label: { kind: 'error', invokeId: inv.id, src: inv.src, error } });
    }
  }
  for (const delay of Object.keys(node.after ?? {})) {
    const eventType = `xstate.after.${delay}.${flow.definition.machine.id}.${id}`;
    candidates.push({ type: eventType, $label: { kind: 'timeout', delay, eventType } });
  }

  const seen = new Set<string>();
  const events: PathEvent[] = [];
  for (const ev of candidates) {
    if (!snapshot.can(ev)) continue;
    const [next] = transition(flow.machine, snapshot, ev);
    const k = `${labelName(ev.$label)}|${vertexOf(analysis, next)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    events.push(ev);
  }
  return events;
}
