import { type AnyMachineSnapshot, transition } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { CustomerProfile } from '../../backend/customer';
import { availableOptions, type CallProgress, resolveDecisionInput, stepIdOf, stepMeta, stepOffers } from '../../calls';
import { evaluate } from '../conditions';
import type { ConditionExpr, InputDefinition, OfferDefinition } from '../flow-definition';
import type { CompiledFlow } from '../flow-loader';
import type { FlowResolver } from '../flow-resolver';
import { analyseFlow, type FlowAnalysis } from './flow-analysis';

/** How the call left a step on a path: one agent decision, one back-end reply, or one timer. */
export type PathLabel =
  | { kind: 'decision'; option: string; event: string; input?: Record<string, unknown> }
  | { kind: 'done'; invokeId: string; src: string; output: unknown }
  | { kind: 'error'; invokeId: string; src: string; error: unknown }
  | { kind: 'timeout'; delay: string; eventType: string };

export interface PathStep {
  /** The step (state id) the call is in. */
  state: string;
  /** What moves it on (concrete: option ids and raw inputs as an agent would send them, sample replies). */
  label: PathLabel;
}

/**
 * One path of one customer's enumeration.
 * - `simple`: the whole way from the start to an ending, no step twice; `steps` lead to `final`.
 * - `loop`: built for a transition no simple path takes (a retry, a failed check going back, the
 *   third failure that locks): `steps` are the shortest way to it and the transition itself; the
 *   call then goes on to an ending by the shortest way the customer can take (chosen while it
 *   runs, since the back end's answers decide it). `final`/`outcome` are the enumeration's guess.
 */
export interface ConcretePath {
  key: string;
  steps: PathStep[];
  final: string;
  outcome: string;
  kind: 'simple' | 'loop';
  /** Loop paths: the step the last transition leads to. */
  next?: string;
  /** Loop paths: the transition they are built for, `step[label]→next step`. */
  edge?: string;
}

/** The transitions (`step[label]→next step`) a path takes. */
export const edgesOf = (steps: PathStep[], end: string): string[] => steps.map((s, i) => `${s.state}[${labelName(s.label)}]→${steps[i + 1]?.state ?? end}`);

export interface Enumeration {
  customer: string;
  paths: ConcretePath[];
  vertices: number;
  edges: number;
  /** True when the simple paths were more than `maxPaths` and only the first ones were kept. */
  capped: boolean;
  /** Edges from which no ending can be reached (a flow defect), as `state[label]`. */
  deadEnds: string[];
}

export interface EnumerateOptions {
  /** Resolver the calls will run with: it supplies the related-marketing matrix for `offersFrom: matrix` steps. */
  flows?: FlowResolver | null;
  /** Cap on simple paths per customer (the enumeration is exponential in loops). Default 400. */
  maxPaths?: number;
  /** Cap on graph traversal steps per customer (xstate `limit`). Default 50 000. */
  maxTraversal?: number;
}

/** The logical time coverage calls start at (the resolver's matrix and flows are read as of then). */
export const COVERAGE_START = '2026-11-01T09:00:00.000Z';

/** Short name of a label, as used in path keys: option id, `done:<invoke>`, `error:<invoke>`, `after:<delay>`. */
export function labelName(label: PathLabel): string {
  switch (label.kind) {
    case 'decision':
      return label.option;
    case 'done':
      return `done:${label.invokeId}`;
    case 'error':
      return `error:${label.invokeId}`;
    case 'timeout':
      return `after:${label.delay}`;
  }
}

export const pathKey = (steps: PathStep[], final: string): string => [...steps.map((s) => `${s.state}[${labelName(s.label)}]`), final].join(' → ');

/** A loop path's key: the way to the transition and the transition, then "on to an ending". */
export const loopKey = (steps: PathStep[], next: string): string => [...steps.map((s) => `${s.state}[${labelName(s.label)}]`), next, '…'].join(' → ');

export const agentSteps = (steps: PathStep[]): number => steps.filter((s) => s.label.kind === 'decision').length;

type Ev = { type: string; input?: unknown; output?: unknown; error?: unknown; $label: PathLabel };

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
  const counters = [...analysis.counters]
    .filter(([k]) => atoms.some((a) => a.fact === k))
    .map(([k, max]) => [k, Math.min(Number(context[k] ?? 0), max)]);
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
 * The events the enumeration offers at a snapshot, as the engine could receive them: each option
 * available to the agent (with every enum value / shown offer / sample input), each back-end
 * reply of each invoked step (sample outputs and errors), each named delay. Events that lead to
 * the same vertex under the same label are offered once.
 */
/**
 * The offers shown at a snapshot, by the engine's own rule (`stepOffers`), for a call that is at its
 * first business and has not pitched this point before.
 */
export function offersAt(flow: CompiledFlow, snapshot: AnyMachineSnapshot, flows: FlowResolver | null, startedAt = COVERAGE_START) {
  const { id, version } = flow.definition;
  const progress = {
    flow, snapshot, record: { startedAt, seq: 0 }, segments: [{ flowId: id, version, status: 'active', outcome: null, by: 'start' }],
    needs: [], mode: 'direct', pitched: [], enteredSeq: 0, effects: [],
  } as unknown as CallProgress;
  return stepOffers(progress, flows);
}

export function eventsAt(
  flow: CompiledFlow,
  analysis: FlowAnalysis,
  snapshot: AnyMachineSnapshot,
  flows: FlowResolver | null = null,
  /** The offers shown, when known (a running call); else as at a first visit (offersAt). */
  offers?: OfferDefinition[],
): Ev[] {
  if (snapshot.status !== 'active') return [];
  const id = stepIdOf(snapshot);
  const node = flow.definition.machine.states[id];
  const meta = stepMeta(flow.definition, id);
  const candidates: Ev[] = [];

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
  const events: Ev[] = [];
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

const stepsOf = (path: { steps: { state: AnyMachineSnapshot; event: Ev }[] }): PathStep[] =>
  // xstate's paths list (snapshot, event that led to it), the first with `xstate.init`.
  path.steps.slice(1).map((s, i) => ({ state: stepIdOf(path.steps[i].state), label: s.event.$label }));

const repeatsAStep = (steps: PathStep[]) => new Set(steps.map((s) => s.state)).size !== steps.length;

type SP = { state: AnyMachineSnapshot; steps: { state: AnyMachineSnapshot; event: Ev }[] };

/**
 * All paths of a flow for one customer profile, from the machine itself: XState's graph utilities
 * walk it with the events above (`getAdjacencyMap`, `getSimplePaths`, `getShortestPaths`).
 *
 * - **simple paths**: the start to an ending with no step (state id) twice;
 * - **loop paths**: for every transition — (step, label, next step) — that no simple path takes
 *   (a retry, a failed verification going back, the third failure that locks), one path: the
 *   shortest way to it and the transition; the run goes on from there to an ending (run-path.ts).
 *
 * So every transition the customer can take is on some path, and loops are taken once each.
 */
export function enumeratePaths(
  flow: CompiledFlow,
  customer: CustomerProfile,
  options: EnumerateOptions = {},
  analysis = analyseFlow(flow.definition, options.flows?.matrix(COVERAGE_START) ?? null),
): Enumeration {
  const maxPaths = options.maxPaths ?? 400;
  const serializeState = (s: AnyMachineSnapshot) => vertexOf(analysis, s);
  const traversal = {
    input: { customer },
    events: (s: AnyMachineSnapshot) => eventsAt(flow, analysis, s, options.flows ?? null),
    serializeState,
    serializeEvent: (e: Ev) => JSON.stringify(e),
    limit: options.maxTraversal ?? 50_000,
  };
  const isFinal = (s: AnyMachineSnapshot) => s.status === 'done';
  const success = new Set(analysis.successOutcomes);
  const outcomeOf = (s: AnyMachineSnapshot) => analysis.finals.get(stepIdOf(s)) ?? 'completed';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const logic = flow.machine as any;
  const adjacency = getAdjacencyMap(logic, traversal as never) as Record<string, { state: AnyMachineSnapshot; transitions: Record<string, { event: Ev; state: AnyMachineSnapshot }> }>;
  const vertices = Object.keys(adjacency);
  const initial = vertices[0]; // getAdjacencyMap adds the start first
  const edgeKey = (from: string, event: Ev, to: AnyMachineSnapshot) => `${stepIdOf(adjacency[from].state)}[${labelName(event.$label)}]→${stepIdOf(to)}`;
  const edgeList = vertices.flatMap((v) => Object.values(adjacency[v].transitions).map((t) => ({ from: v, event: t.event, to: serializeState(t.state), key: edgeKey(v, t.event, t.state) })));

  const paths: ConcretePath[] = [];
  const keep = (steps: PathStep[], end: AnyMachineSnapshot, kind: ConcretePath['kind'], next?: string, edge?: string) => {
    const final = stepIdOf(end);
    paths.push({ key: next ? loopKey(steps, next) : pathKey(steps, final), steps, final, outcome: outcomeOf(end), kind, ...(next ? { next } : {}), ...(edge ? { edge } : {}) });
  };

  // Simple paths. getSimplePaths lists vertex-simple ones (a vertex carries the counters, so it
  // unrolls verify loops); those that revisit a step are left to the loop paths. Counted first,
  // bounded, so a flow whose loops explode cannot hang the suite.
  let vertexSimple = 0;
  const onPath = new Set<string>();
  const countFrom = (v: string): void => {
    if (vertexSimple > 20 * maxPaths) return;
    if (isFinal(adjacency[v].state)) return void vertexSimple++;
    onPath.add(v);
    for (const t of Object.values(adjacency[v].transitions)) {
      const to = serializeState(t.state);
      if (!onPath.has(to)) countFrom(to);
    }
    onPath.delete(v);
  };
  countFrom(initial);
  let simple: { steps: PathStep[]; end: AnyMachineSnapshot }[] = [];
  if (vertexSimple <= 20 * maxPaths) {
    simple = (getSimplePaths(logic, { ...traversal, toState: isFinal } as never) as unknown as SP[])
      .map((p) => ({ steps: stepsOf(p), end: p.state }))
      .filter((p) => !repeatsAStep(p.steps));
  } else {
    // Too many to list: walk the step-simple paths directly.
    const walk = (v: string, steps: PathStep[], seen: Set<string>) => {
      if (simple.length > maxPaths) return;
      const snap = adjacency[v].state;
      if (isFinal(snap)) return void simple.push({ steps, end: snap });
      for (const t of Object.values(adjacency[v].transitions)) {
        const step = stepIdOf(t.state);
        if (!seen.has(step)) walk(serializeState(t.state), [...steps, { state: stepIdOf(snap), label: t.event.$label }], new Set([...seen, step]));
      }
    };
    walk(initial, [], new Set([stepIdOf(adjacency[initial].state)]));
  }
  const capped = simple.length > maxPaths;
  for (const p of simple.slice(0, maxPaths)) keep(p.steps, p.end, 'simple');
  const covered = new Set(paths.flatMap((p) => edgesOf(p.steps, p.final)));

  // Shortest ways to every vertex (xstate's getShortestPaths from the start).
  const toVertex = new Map<string, SP>();
  for (const p of getShortestPaths(logic, traversal as never) as unknown as SP[]) toVertex.set(serializeState(p.state), p);
  // From a vertex on to an ending: breadth-first over the same adjacency map (successful endings first).
  const onwardCache = new Map<string, { length: number; end: AnyMachineSnapshot } | null>();
  const onward = (v: string) => {
    if (!onwardCache.has(v)) {
      const depth = new Map([[v, 0]]);
      const queue = [v];
      let best: { length: number; end: AnyMachineSnapshot; ok: boolean } | null = null;
      while (queue.length) {
        const u = queue.shift()!;
        const snap = adjacency[u].state;
        if (isFinal(snap)) {
          const ok = success.has(outcomeOf(snap));
          if (!best || (ok && !best.ok)) best = { length: depth.get(u)!, end: snap, ok };
          continue;
        }
        for (const t of Object.values(adjacency[u].transitions)) {
          const w = serializeState(t.state);
          if (!depth.has(w)) (depth.set(w, depth.get(u)! + 1), queue.push(w));
        }
      }
      onwardCache.set(v, best);
    }
    return onwardCache.get(v)!;
  };

  const deadEnds = new Set<string>();
  const loops = new Map<string, { steps: PathStep[]; end: AnyMachineSnapshot; length: number; next: string }>();
  for (const edge of edgeList) {
    if (covered.has(edge.key)) continue;
    const head = toVertex.get(edge.from);
    const tail = onward(edge.to);
    if (!tail) {
      deadEnds.add(edge.key);
      continue;
    }
    if (!head) continue;
    const steps = [...stepsOf(head), { state: stepIdOf(adjacency[edge.from].state), label: edge.event.$label }];
    const length = steps.length + tail.length;
    const known = loops.get(edge.key);
    if (!known || length < known.length) loops.set(edge.key, { steps, end: tail.end, length, next: stepIdOf(adjacency[edge.to].state) });
  }
  for (const [edge, loop] of loops) {
    // A loop transition into an ending makes a complete path; otherwise the run finds the way on.
    keep(loop.steps, loop.end, 'loop', analysis.finals.has(loop.next) ? undefined : loop.next, edge);
  }

  return { customer: customer.msisdn, paths: dedupe(paths), vertices: vertices.length, edges: edgeList.length, capped, deadEnds: [...deadEnds] };
}

function dedupe(paths: ConcretePath[]): ConcretePath[] {
  const byKey = new Map<string, ConcretePath>();
  for (const p of paths) if (!byKey.has(p.key)) byKey.set(p.key, p);
  return [...byKey.values()];
}
