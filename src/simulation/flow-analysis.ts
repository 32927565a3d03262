import type { ActionJson, ConditionExpr, FlowDefinition, InvokeJson, TransitionObjectJson } from '../flows/flow-definition';
import { stateTransitions, toArray, transitionsOf } from '../flows/flow-json';
import { mainPath } from '../flows/main-path';
import type { MarketingMatrix } from '../flows/marketing-matrix';

/** One `{fact, op…}` test taken out of a condition tree (groups are flattened: each leaf is tracked on its own). */
export interface Atom {
  fact: string;
  test: Record<string, unknown>;
}

/**
 * What the path enumeration needs to know about a flow, read from its JSON once: the static step
 * graph, which context facts each step's behaviour depends on, and sample replies for back-end steps.
 */
export interface FlowAnalysis {
  flow: FlowDefinition;
  stateIds: string[];
  finals: Map<string, string>;
  /** Outcome of the blueprint's main path (src/flows/main-path.ts): `completed`, or the first ending. */
  mainOutcome: string | null;
  /** State ids reachable from each state (itself included), ignoring guards. */
  reachable: Map<string, Set<string>>;
  /** Outcomes that count as success: completed, converted and the main outcome (those the flow has). */
  successOutcomes: string[];
  /** Fewest transitions from each state to a successful ending / to any ending, ignoring guards (Infinity if none). */
  toSuccess: Map<string, number>;
  toEnding: Map<string, number>;
  /** Per state: the non-event atoms that can change what happens from here on (guards, rules, offer `when`s). */
  liveAtoms: Map<string, Atom[]>;
  /** Context keys changed by `increment`, with the value above which their tests no longer differ. */
  counters: Map<string, number>;
  invokes: Map<string, InvokeJson[]>;
  /** Per invoke id: sample `output`s (done) and `error`s (error) that exercise every test made on them. */
  doneSamples: Map<string, unknown[]>;
  errorSamples: Map<string, unknown[]>;
  /** Sample values an input must take for the flow's tests on `event.input.<name>`. */
  inputSamples: Map<string, unknown[]>;
}

const OPS = ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte'] as const;

export function atomsOf(expr: ConditionExpr | undefined): Atom[] {
  if (!expr || typeof expr !== 'object') return [];
  const out: Atom[] = [];
  const e = expr as Record<string, unknown>;
  if (typeof e.fact === 'string') {
    const test = Object.fromEntries(OPS.filter((op) => op in e).map((op) => [op, e[op]]));
    out.push({ fact: e.fact, test });
  }
  for (const group of ['all', 'any', 'none'] as const) {
    for (const sub of (e[group] as ConditionExpr[] | undefined) ?? []) out.push(...atomsOf(sub));
  }
  return out;
}

function guardAtoms(flow: FlowDefinition, t: TransitionObjectJson): Atom[] {
  const g = t.guard;
  if (!g || typeof g === 'string') return [];
  if (g.type === 'matches') return atomsOf(g.params as ConditionExpr);
  if (g.type === 'rule') {
    const rule = flow.rules?.[String(g.params?.name)];
    return (rule?.all ?? []).flatMap((check) => atomsOf(check));
  }
  return [];
}

const actionsOf = (t: TransitionObjectJson): { type: string; params: Record<string, unknown> }[] =>
  toArray(t.actions as ActionJson | ActionJson[] | undefined).map((a) =>
    typeof a === 'string' ? { type: a, params: {} } : { type: a.type, params: a.params ?? {} },
  );

const key = (a: Atom) => JSON.stringify([a.fact, a.test]);
const uniqAtoms = (atoms: Atom[]) => [...new Map(atoms.map((a) => [key(a), a])).values()];

/** Values that make each test true and false (one value per side of each boundary). */
export function samplesFor(test: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const other = (v: unknown): unknown =>
    typeof v === 'boolean' ? !v : typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}-other` : v === null ? 'something' : null;
  for (const [op, v] of Object.entries(test)) {
    switch (op) {
      case 'eq':
      case 'ne':
        out.push(v, other(v));
        break;
      case 'in':
        out.push(...(v as unknown[]), 'none-of-these');
        break;
      case 'contains':
        out.push([v], []);
        break;
      default:
        if (typeof v === 'number') out.push(v - 1, v, v + 1);
    }
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  if (!path.length) return (value && typeof value === 'object' && !Array.isArray(value) ? value : target) as Record<string, unknown>;
  const [head, ...rest] = path;
  const child = target[head];
  return {
    ...target,
    [head]: rest.length ? setPath(child && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest, value) : value,
  };
}

/** Combines per-path samples into objects: every sample of every path appears at least once (pairwise-free, capped). */
function combine(base: Record<string, unknown>, byPath: Map<string, unknown[]>, cap = 64): Record<string, unknown>[] {
  let results: Record<string, unknown>[] = [base];
  for (const [path, values] of byPath) {
    const next: Record<string, unknown>[] = [];
    for (const r of results) for (const v of values) next.push(setPath(r, path.split('.').filter(Boolean), v));
    results = next.length > cap ? next.slice(0, cap) : next;
  }
  return results;
}

function matrixAtoms(matrix: MarketingMatrix, flowId: string, stepId: string): Atom[] {
  const points = matrix.points.filter((p) => p.flowId === flowId && p.stepId === stepId);
  const offers = new Set(points.flatMap((p) => p.offers));
  return [...points.flatMap((p) => atomsOf(p.when)), ...matrix.offers.filter((o) => offers.has(o.id)).flatMap((o) => atomsOf(o.eligible))];
}

export function analyseFlow(flow: FlowDefinition, matrix: MarketingMatrix | null = null): FlowAnalysis {
  const states = flow.machine.states;
  const stateIds = Object.keys(states);
  const finals = new Map(stateIds.filter((id) => states[id].type === 'final').map((id) => [id, states[id].meta.outcome ?? 'completed']));
  const goal = mainPath(flow).at(-1)!;
  const mainOutcome = finals.get(goal) ?? null;

  const next = new Map(
    stateIds.map((id) => [
      id,
      stateTransitions(states[id])
        .map(({ t }) => t.target)
        .filter((x): x is string => !!x && x in states),
    ]),
  );
  const reachable = new Map<string, Set<string>>();
  for (const id of stateIds) {
    const seen = new Set([id]);
    const queue = [id];
    while (queue.length)
      for (const n of next.get(queue.shift()!) ?? [])
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
    reachable.set(id, seen);
  }

  const distanceTo = (goals: string[]) => {
    const dist = new Map(stateIds.map((id) => [id, Infinity]));
    goals.forEach((g) => dist.set(g, 0));
    for (let changed = true; changed;) {
      changed = false;
      for (const id of stateIds) {
        const best = Math.min(dist.get(id)!, ...(next.get(id) ?? []).map((n) => dist.get(n)! + 1));
        if (best < dist.get(id)!) {
          dist.set(id, best);
          changed = true;
        }
      }
    }
    return dist;
  };
  const successOutcomes = [...new Set(['completed', 'converted', ...(mainOutcome ? [mainOutcome] : [])])].filter((o) => [...finals.values()].includes(o));
  const toSuccess = distanceTo([...finals].filter(([, o]) => successOutcomes.includes(o)).map(([id]) => id));
  const toEnding = distanceTo([...finals.keys()]);

  // Context facts a state's behaviour depends on: its guards (rules included) and its offers' `when`.
  const allAtoms: Atom[] = [];
  const ownAtoms = new Map<string, Atom[]>();
  for (const id of stateIds) {
    const node = states[id];
    const atoms = [
      ...stateTransitions(node).flatMap(({ t }) => guardAtoms(flow, t)),
      ...(node.meta.offers ?? []).flatMap((o) => atomsOf(o.when)),
      // Offers from the related-marketing matrix: the point's `when` and each offer's eligibility.
      ...(node.meta.offersFrom === 'matrix' && matrix ? matrixAtoms(matrix, flow.id, id) : []),
    ];
    allAtoms.push(...atoms);
    ownAtoms.set(id, uniqAtoms(atoms.filter((a) => !a.fact.startsWith('event.'))));
  }
  const liveAtoms = new Map(stateIds.map((id) => [id, uniqAtoms([...reachable.get(id)!].flatMap((s) => ownAtoms.get(s)!))]));

  const counters = new Map<string, number>();
  for (const id of stateIds) {
    for (const { t } of stateTransitions(states[id])) {
      for (const a of actionsOf(t)) {
        if (a.type !== 'increment') continue;
        const k = String(a.params.key);
        const bounds = allAtoms
          .filter((x) => x.fact === k)
          .flatMap((x) => Object.values(x.test))
          .filter((v): v is number => typeof v === 'number');
        counters.set(k, Math.max(counters.get(k) ?? 0, ...bounds.map((b) => b + 1), 1));
      }
    }
  }

  const invokes = new Map(stateIds.map((id) => [id, toArray(states[id].invoke)]));
  const doneSamples = new Map<string, unknown[]>();
  const errorSamples = new Map<string, unknown[]>();
  for (const id of stateIds) {
    for (const inv of invokes.get(id)!) {
      for (const [kind, field, transitions, base] of [
        ['done', 'output', transitionsOf(inv.onDone), {}],
        ['error', 'error', transitionsOf(inv.onError), { code: 'SAMPLE_FAILURE', message: 'sample back-end failure' }],
      ] as const) {
        // Tests on the reply itself, and on context keys the reply is stored under (`setFromEvent`).
        const byPath = new Map<string, unknown[]>();
        const add = (p: string, values: unknown[]) =>
          byPath.set(
            p,
            [...new Set([...(byPath.get(p) ?? []), ...values].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v)),
          );
        for (const t of transitions) {
          for (const a of guardAtoms(flow, t)) if (a.fact.startsWith(`event.${field}.`)) add(a.fact.slice(`event.${field}.`.length), samplesFor(a.test));
          for (const act of actionsOf(t)) {
            if (act.type !== 'setFromEvent') continue;
            const stored = String(act.params.key);
            const from = String(act.params.path);
            if (from !== field && !from.startsWith(`${field}.`)) continue;
            const inner = from === field ? '' : from.slice(field.length + 1);
            for (const a of allAtoms) {
              if (a.fact === stored || a.fact.startsWith(`${stored}.`)) {
                const rest = a.fact === stored ? '' : a.fact.slice(stored.length + 1);
                const p = [inner, rest].filter(Boolean).join('.');
                if (p) add(p, samplesFor(a.test));
              }
            }
          }
        }
        const samples = combine(base as Record<string, unknown>, byPath);
        (kind === 'done' ? doneSamples : errorSamples).set(inv.id, samples);
      }
    }
  }

  const inputSamples = new Map<string, unknown[]>();
  for (const a of allAtoms) {
    if (!a.fact.startsWith('event.input.')) continue;
    const name = a.fact.slice('event.input.'.length).split('.')[0];
    inputSamples.set(name, [...(inputSamples.get(name) ?? []), ...samplesFor(a.test)]);
  }

  return {
    flow,
    stateIds,
    finals,
    mainOutcome,
    successOutcomes,
    toSuccess,
    toEnding,
    reachable,
    liveAtoms,
    counters,
    invokes,
    doneSamples,
    errorSamples,
    inputSamples,
  };
}
