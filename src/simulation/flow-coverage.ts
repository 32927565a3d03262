// A flow's paths over all demo customers' profiles, merged into one set.
import type { CustomerProfile } from '../backend/customer';
import type { BackendSetting, CustomerFixture } from '../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../backend/simulator/simulator-backend';
import { evaluate } from '../flows/conditions';
import type { ConditionExpr } from '../flows/flow-definition';
import type { CompiledFlow } from '../flows/flow-loader';
import { enumeratePaths } from './enumerate-paths';
import { analyseFlow, type FlowAnalysis } from './flow-analysis';
import { agentSteps, COVERAGE_START, type ConcretePath, edgesOf, type EnumerateOptions, type Enumeration, labelName, type PathStep } from './path-model';
import type { BackEndAnswer } from './probe-backend';
import type { RunResult } from './run-path';

/** A path of the union over all customers' enumerations. */
export interface CoveredPath {
  key: string;
  final: string;
  outcome: string;
  kind: ConcretePath['kind'];
  next?: string;
  /** Loop paths: the transition they stand for. */
  edge?: string;
  /** Simple paths: the whole path. Loop paths: the shortest way any customer takes to the transition. */
  steps: PathStep[];
  agentSteps: number;
  /** Customers whose profile lets the machine take this path (their own concrete steps). */
  byCustomer: Map<string, PathStep[]>;
  runs: RunResult[];
  /** Customers whose run reached the path: demo customers, then derived ones. */
  reachedBy: string[];
  /** Derived customers (see derived-customers.ts) that reached it, when no demo customer does. */
  derived: { msisdn: string; basedOn: string; backend: BackendSetting; ivrPassword: string }[];
}

export interface FlowCoverage {
  file: string;
  flow: CompiledFlow;
  analysis: FlowAnalysis;
  enumerations: Enumeration[];
  paths: CoveredPath[];
  /** Per invoke id: which customers' simulated back end answers done / error / not at all. */
  backEnd?: Map<string, Map<BackEndAnswer, string[]>>;
}

export async function profilesOf(fixtures: CustomerFixture[]): Promise<CustomerProfile[]> {
  const backend = new SimulatorBackend(fixtures, 0);
  return Promise.all(fixtures.map(async (f) => (await backend.lookupCustomer(f.msisdn))!));
}

/** Enumerates the flow once per customer profile and merges the paths by key. */
export function enumerateFlow(file: string, flow: CompiledFlow, profiles: CustomerProfile[], options: EnumerateOptions = {}): FlowCoverage {
  const analysis = analyseFlow(flow.definition, options.flows?.matrix(COVERAGE_START) ?? null);
  // Customers for whom every test of the flow on `customer.*` comes out the same get the same
  // paths: enumerate once per such group.
  const atoms = analysis.stateIds.flatMap((id) => analysis.liveAtoms.get(id)!).filter((a) => a.fact.startsWith('customer.'));
  const signature = (p: CustomerProfile) => atoms.map((a) => (evaluate({ fact: a.fact, ...a.test } as ConditionExpr, { customer: p }) ? 1 : 0)).join('');
  const byGroup = new Map<string, Enumeration>();
  const enumerations = profiles.map((p) => {
    const sig = signature(p);
    let en = byGroup.get(sig);
    if (!en) byGroup.set(sig, (en = enumeratePaths(flow, p, options, analysis)));
    else en = { ...en, customer: p.msisdn, paths: en.paths };
    return { ...en, customer: p.msisdn };
  });
  // Simple paths merge by their key. A loop path stands for its transition: dropped when some
  // simple path (of any customer) takes that transition, else one per transition, each customer
  // running the way to it from their own enumeration.
  const byKey = new Map<string, CoveredPath>();
  const add = (key: string, p: ConcretePath, customer: string) => {
    let covered = byKey.get(key);
    if (!covered || (p.kind === 'loop' && p.steps.length < covered.steps.length)) {
      const merged: CoveredPath = {
        key,
        final: p.final,
        outcome: p.outcome,
        kind: p.kind,
        next: p.next,
        edge: p.edge,
        steps: p.steps,
        agentSteps: agentSteps(p.steps),
        byCustomer: covered?.byCustomer ?? new Map(),
        runs: [],
        reachedBy: [],
        derived: [],
      };
      byKey.set(key, (covered = merged));
    }
    covered.byCustomer.set(customer, p.steps);
  };
  for (const en of enumerations) for (const p of en.paths) if (p.kind === 'simple') add(p.key, p, en.customer);
  reduceFailureVariants(byKey);
  const onSimplePaths = new Set([...byKey.values()].flatMap((p) => edgesOf(p.steps, p.final)));
  for (const en of enumerations) for (const p of en.paths) if (p.kind === 'loop' && !onSimplePaths.has(p.edge!)) add(`loop ${p.edge}`, p, en.customer);
  const paths = [...byKey.values()].sort(
    (a, b) => Number(a.kind === 'loop') - Number(b.kind === 'loop') || a.steps.length - b.steps.length || a.key.localeCompare(b.key),
  );
  return { file, flow, analysis, enumerations, paths };
}

/** A path with how each back-end step failed (error reply or timeout) left out. */
const shapeOf = (p: CoveredPath) =>
  [...p.steps.map((s) => `${s.state}[${s.label.kind === 'error' || s.label.kind === 'timeout' ? 'failed' : labelName(s.label)}]`), p.final].join(' → ');

/**
 * Simple paths that take the same steps in the same order and differ only in whether a back-end
 * step failed by an error reply or by its timer (both lead to the same failure step) are one
 * path shape: keep, per shape, the fewest paths that still take every one of its transitions
 * (greedy cover). Without this the paths multiply 2^n with n back-end steps, while every
 * error and every timeout transition is still run by some kept path.
 */
function reduceFailureVariants(byKey: Map<string, CoveredPath>): void {
  const shapes = new Map<string, CoveredPath[]>();
  for (const p of byKey.values()) {
    const shape = shapeOf(p);
    shapes.set(shape, [...(shapes.get(shape) ?? []), p]);
  }
  for (const variants of shapes.values()) {
    if (variants.length < 2) continue;
    const uncovered = new Set(variants.flatMap((p) => edgesOf(p.steps, p.final)));
    const kept = new Set<CoveredPath>();
    while (uncovered.size) {
      const gain = (p: CoveredPath) => edgesOf(p.steps, p.final).filter((e) => uncovered.has(e)).length;
      const best = variants.filter((p) => !kept.has(p)).sort((a, b) => gain(b) - gain(a) || a.key.localeCompare(b.key))[0];
      kept.add(best);
      for (const e of edgesOf(best.steps, best.final)) uncovered.delete(e);
    }
    for (const p of variants) if (!kept.has(p)) byKey.delete(p.key);
  }
}
