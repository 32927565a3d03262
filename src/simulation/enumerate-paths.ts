// Every path of a flow for one customer profile, from the machine's graph.
import type { AnyMachineSnapshot } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { CustomerProfile } from '../backend/customer';
import { stepIdOf } from '../calls/step';
import type { CompiledFlow } from '../flows/flow-loader';
import { analyseFlow } from './flow-analysis';
import { eventsAt, vertexOf } from './path-events';
import {
  COVERAGE_START,
  type ConcretePath,
  edgesOf,
  type EnumerateOptions,
  type Enumeration,
  labelName,
  loopKey,
  type PathEvent,
  pathKey,
  type PathStep,
} from './path-model';

const stepsOf = (path: { steps: { state: AnyMachineSnapshot; event: PathEvent }[] }): PathStep[] =>
  // xstate's paths list (snapshot, event that led to it), the first with `xstate.init`.
  path.steps.slice(1).map((s, i) => ({ state: stepIdOf(path.steps[i].state), label: s.event.$label }));

const repeatsAStep = (steps: PathStep[]) => new Set(steps.map((s) => s.state)).size !== steps.length;

type SP = { state: AnyMachineSnapshot; steps: { state: AnyMachineSnapshot; event: PathEvent }[] };

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
    serializeEvent: (e: PathEvent) => JSON.stringify(e),
    limit: options.maxTraversal ?? 50_000,
  };
  const isFinal = (s: AnyMachineSnapshot) => s.status === 'done';
  const success = new Set(analysis.successOutcomes);
  const outcomeOf = (s: AnyMachineSnapshot) => analysis.finals.get(stepIdOf(s)) ?? 'completed';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const logic = flow.machine as any;
  const adjacency = getAdjacencyMap(logic, traversal as never) as Record<
    string,
    { state: AnyMachineSnapshot; transitions: Record<string, { event: PathEvent; state: AnyMachineSnapshot }> }
  >;
  const vertices = Object.keys(adjacency);
  const initial = vertices[0]; // getAdjacencyMap adds the start first
  const edgeKey = (from: string, event: PathEvent, to: AnyMachineSnapshot) => `${stepIdOf(adjacency[from].state)}[${labelName(event.$label)}]→${stepIdOf(to)}`;
  const edgeList = vertices.flatMap((v) =>
    Object.values(adjacency[v].transitions).map((t) => ({
      from: v,
      event: t.event,
      to: serializeState(t.state),
      key: edgeKey(v, t.event, t.state),
    })),
  );

  const paths: ConcretePath[] = [];
  const keep = (steps: PathStep[], end: AnyMachineSnapshot, kind: ConcretePath['kind'], next?: string, edge?: string) => {
    const final = stepIdOf(end);
    paths.push({
      key: next ? loopKey(steps, next) : pathKey(steps, final),
      steps,
      final,
      outcome: outcomeOf(end),
      kind,
      ...(next ? { next } : {}),
      ...(edge ? { edge } : {}),
    });
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
          if (!depth.has(w)) {
            depth.set(w, depth.get(u)! + 1);
            queue.push(w);
          }
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

  return {
    customer: customer.msisdn,
    paths: dedupe(paths),
    vertices: vertices.length,
    edges: edgeList.length,
    capped,
    deadEnds: [...deadEnds],
  };
}

function dedupe(paths: ConcretePath[]): ConcretePath[] {
  const byKey = new Map<string, ConcretePath>();
  for (const p of paths) if (!byKey.has(p.key)) byKey.set(p.key, p);
  return [...byKey.values()];
}
