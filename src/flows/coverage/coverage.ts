import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CustomerProfile } from '../../backend/customer';
import type { BackendSetting, CustomerFixture } from '../../backend/simulator/customer-fixtures';
import { SimulatorBackend } from '../../backend/simulator/simulator-backend';
import { stepMeta } from '../../calls';
import { type CompiledFlow, loadFlowFile } from '../flow-loader';
import type { FlowResolver } from '../flow-resolver';
import { operationImplementations } from '../registry/operations';
import { createRegistry } from '../registry/registry';
import { evaluate } from '../conditions';
import type { ConditionExpr } from '../flow-definition';
import { analyseFlow, type FlowAnalysis } from './flow-analysis';
import { agentSteps, COVERAGE_START, edgesOf, loopKey, type ConcretePath, type EnumerateOptions, enumeratePaths, type Enumeration, labelName, type PathStep } from './paths';
import { deriveCustomer } from './derived-customers';
import { type RunResult, runPath } from './run-path';

export const BACKEND_TIMEOUT_MS = 10_000;

export type LoadedFile = { file: string; flow: CompiledFlow; error?: undefined } | { file: string; flow?: undefined; error: string };

/** Every `*.json` directly in the directory (as the server loads them), each compiled on its own. */
export function discoverFlows(dir: string): LoadedFile[] {
  const registry = createRegistry({ backendTimeout: BACKEND_TIMEOUT_MS });
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && fs.statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      try {
        return { file, flow: loadFlowFile(file, registry) };
      } catch (e) {
        return { file, error: (e as Error).message };
      }
    });
}

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
      const merged: CoveredPath = { key, final: p.final, outcome: p.outcome, kind: p.kind, next: p.next, edge: p.edge, steps: p.steps, agentSteps: agentSteps(p.steps), byCustomer: covered?.byCustomer ?? new Map(), runs: [], reachedBy: [], derived: [] };
      byKey.set(key, (covered = merged));
    }
    covered.byCustomer.set(customer, p.steps);
  };
  for (const en of enumerations) for (const p of en.paths) if (p.kind === 'simple') add(p.key, p, en.customer);
  reduceFailureVariants(byKey);
  const onSimplePaths = new Set([...byKey.values()].flatMap((p) => edgesOf(p.steps, p.final)));
  for (const en of enumerations) for (const p of en.paths) if (p.kind === 'loop' && !onSimplePaths.has(p.edge!)) add(`loop ${p.edge}`, p, en.customer);
  const paths = [...byKey.values()].sort((a, b) => Number(a.kind === 'loop') - Number(b.kind === 'loop') || a.steps.length - b.steps.length || a.key.localeCompare(b.key));
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

export interface RunCoverageOptions {
  fixtures: CustomerFixture[];
  flows: FlowResolver;
  settleMs?: number;
  /** For paths no demo customer reaches, derive a customer with the back end the path needs and run it. Default false. */
  deriveCustomers?: boolean;
  /** Also try customers whose profile does not enumerate the path (they are expected to fail at a guard). Default false. */
  everyCustomer?: boolean;
}

/** Runs every path for every customer that may reach it, all concurrently (a run mostly waits on timers). */
export async function runCoverage(coverage: FlowCoverage, options: RunCoverageOptions): Promise<void> {
  const id = coverage.flow.definition.id;
  await Promise.all(
    coverage.paths.map(async (p, index) => {
      const customers = options.everyCustomer ? options.fixtures.map((f) => f.msisdn) : [...p.byCustomer.keys()];
      p.runs = await Promise.all(
        customers.map((msisdn) =>
          runPath(
            { steps: p.byCustomer.get(msisdn) ?? p.steps, final: p.final, outcome: p.outcome, kind: p.kind, next: p.next },
            {
              flow: coverage.flow, flows: options.flows, fixtures: options.fixtures, msisdn, callId: `cov-${id}-${index + 1}-${msisdn}`,
              settleMs: options.settleMs, analysis: coverage.analysis,
            },
          ),
        ),
      );
      p.reachedBy = p.runs.filter((r) => r.reached).map((r) => r.msisdn);
    }),
  );
  if (options.deriveCustomers) await runDerived(coverage, options);
}

/**
 * For each path no demo customer reaches: a customer derived from a demo customer the path's
 * profile fits, with the back end the path needs (derived-customers.ts), run the same way
 * through the real step function and simulator. Tried for each fitting profile until one reaches it.
 */
async function runDerived(coverage: FlowCoverage, options: RunCoverageOptions): Promise<void> {
  const id = coverage.flow.definition.id;
  await Promise.all(
    coverage.paths.map(async (p, index) => {
      if (p.reachedBy.length) return;
      for (const [n, base] of [...p.byCustomer.keys()].entries()) {
        const msisdn = `1990${String(index + 1).padStart(4, '0')}${String(n).padStart(3, '0')}`;
        const baseFixture = options.fixtures.find((f) => f.msisdn === base)!;
        const derived = deriveCustomer(coverage.analysis, p.byCustomer.get(base)!, baseFixture, msisdn);
        if (!derived) continue;
        const run = await runPath(
          { steps: p.byCustomer.get(base)!, final: p.final, outcome: p.outcome, kind: p.kind, next: p.next },
          {
            flow: coverage.flow, flows: options.flows, fixtures: [...options.fixtures, derived.fixture], msisdn, callId: `cov-${id}-${index + 1}-${msisdn}`,
            settleMs: options.settleMs, analysis: coverage.analysis,
          },
        );
        p.runs.push(run);
        if (run.reached) {
          p.reachedBy.push(msisdn);
          p.derived.push({ msisdn, basedOn: base, backend: derived.fixture.backend, ivrPassword: derived.fixture.ivrPassword });
          return;
        }
      }
    }),
  );
}

// ---- what the simulator can do ----

export type BackEndAnswer = 'done' | 'error' | 'timeout';

/**
 * Asks the real simulator, once per demo customer, how each back-end step of the flow answers:
 * done, error, or no answer within `settleMs` (timeout). Used to say which customers a path
 * would need and whether any demo customer can give a failure or a timeout at all.
 */
export async function probeBackEnd(flow: CompiledFlow, fixtures: CustomerFixture[], profiles: CustomerProfile[], settleMs = 50): Promise<Map<string, Map<BackEndAnswer, string[]>>> {
  const invokes = Object.values(flow.definition.machine.states).flatMap((s) => (s.invoke === undefined ? [] : Array.isArray(s.invoke) ? s.invoke : [s.invoke]));
  const result = new Map<string, Map<BackEndAnswer, string[]>>();
  await Promise.all(
    invokes.map(async (inv) => {
      const answers = new Map<BackEndAnswer, string[]>();
      result.set(inv.id, answers);
      const backend = new SimulatorBackend(fixtures, 0);
      await Promise.all(
        profiles.map(async (customer) => {
          let answer: BackEndAnswer = 'timeout';
          let timer: NodeJS.Timeout | undefined;
          const call = (async () => operationImplementations[inv.src](backend, { callId: 'probe', idempotencyKey: `probe-${inv.id}-${customer.msisdn}`, customer, context: {}, input: inv.input ?? {} }))();
          await Promise.race([
            call.then(() => void (answer = 'done'), () => void (answer = 'error')),
            new Promise<void>((r) => (timer = setTimeout(r, settleMs))),
          ]);
          clearTimeout(timer);
          answers.set(answer, [...(answers.get(answer) ?? []), customer.msisdn]);
        }),
      );
    }),
  );
  return result;
}

// ---- report ----

export interface UnreachablePath {
  key: string;
  /** Loop paths: the way to the transition the run took first. */
  example?: string;
  outcome: string;
  /** The back-end answers the path needs, per operation, in order: e.g. `provision(open-product) error → provision(raise-work-order) ok`. */
  signature: string;
  /** The kind of demo customer that is missing (unreached paths are grouped by it). */
  need: string;
  /** What the path needs from the back end, in order. */
  backEnd: string[];
  /** Customers whose profile allows it, and where each one's run stopped. */
  tried: { msisdn: string; stoppedAt: string; reason: string }[];
  needed: string;
}

export interface FlowReport {
  file: string;
  id: string;
  version: number;
  kind: string;
  title: string;
  states: number;
  statesOnPaths: number;
  statesNeverVisited: string[];
  paths: number;
  simplePaths: number;
  loopPaths: number;
  outcomes: Record<string, number>;
  mainOutcome: string | null;
  successOutcomes: string[];
  shortestSuccess: { agentSteps: number; outcome: string; key: string; decisions: string[] } | null;
  shortestMain: { agentSteps: number; outcome: string; key: string; decisions: string[] } | null;
  /** Business flows only: shortest successful path takes more than 3 agent operations. */
  exceedsTarget: boolean | null;
  /** Business flows only: the shortest path to the main outcome (the business done) takes more than 3. */
  mainExceedsTarget: boolean | null;
  reason: string;
  reachedPaths: number;
  /** Paths reached by a demo customer (the rest of `reachedPaths` only by a derived one). */
  reachedByDemo: number;
  /** Paths only a derived customer reaches, with the back end it was given. */
  derived: { key: string; msisdn: string; basedOn: string; backend: BackendSetting; ivrPassword: string }[];
  unreachable: UnreachablePath[];
  capped: string[];
  deadEnds: string[];
  customersPerPath: { key: string; kind: CoveredPath['kind']; outcomes: string[]; reachedBy: string[] }[];
}

/** What an agent decision is for, by its step's WFDCM marks (D before F before M before C) or lane. */
const marksWord = (flow: CompiledFlow, state: string): string => {
  const meta = stepMeta(flow.definition, state);
  if (meta.marks.includes('D')) return 'decision point';
  if (meta.marks.includes('F')) return 'verification/recovery';
  if (meta.marks.includes('M')) return 'offer decision';
  if (meta.marks.includes('C')) return 'care-prompt confirmation';
  if (meta.lane === 'backstage') return 'backstage submit';
  return 'plain step';
};
const decisionName = (flow: CompiledFlow, s: PathStep) => {
  const marks = stepMeta(flow.definition, s.state).marks.join('');
  return `${s.state}${marks ? `[${marks}]` : ''}:${labelName(s.label)}`;
};

function explain(flow: CompiledFlow, p: CoveredPath): string {
  const decisions = p.steps.filter((s) => s.label.kind === 'decision');
  const groups = new Map<string, string[]>();
  for (const s of decisions) {
    const word = marksWord(flow, s.state);
    groups.set(word, [...(groups.get(word) ?? []), decisionName(flow, s)]);
  }
  return [...groups].map(([word, steps]) => `${steps.length} ${word}${steps.length > 1 ? 's' : ''} (${steps.join(', ')})`).join('; ');
}

/** An operation as the flow uses it: `queryAccount(bills)`, `provision(open-product)`, `checkIvrPassword`. */
export function operationName(c: FlowCoverage, invokeId: string): string {
  const inv = [...c.analysis.invokes.values()].flat().find((i) => i.id === invokeId);
  const arg = inv?.input?.action ?? inv?.input?.what;
  return inv ? `${inv.src}${arg ? `(${String(arg)})` : ''}` : invokeId;
}

/**
 * What kind of demo customer a path needs, from the answers it needs and what the simulator was
 * seen to do (probeBackEnd): an answer no demo customer's simulator ever gives; different answers
 * from different operations in one call (each demo customer's back end behaves the same for all
 * of them); or, with one behaviour throughout, a profile and behaviour no demo customer combines.
 */
function needOf(c: FlowCoverage, p: CoveredPath): string {
  const answers: { op: string; invokeId: string; answer: string }[] = p.steps.flatMap((s) => {
    const l = s.label;
    if (l.kind === 'decision') return [];
    if (l.kind === 'timeout') return (c.analysis.invokes.get(s.state) ?? []).map((i) => ({ op: operationName(c, i.id), invokeId: i.id, answer: 'timeout' }));
    const ok = l.kind === 'done' ? (l.output as { ok?: unknown })?.ok : undefined;
    return [{ op: operationName(c, l.invokeId), invokeId: l.invokeId, answer: l.kind === 'error' ? 'error' : ok === false ? 'ok:false' : ok === true ? 'ok:true' : 'ok' }];
  });
  const never = answers.filter((a) => (a.answer === 'error' || a.answer === 'timeout') && c.backEnd && !(c.backEnd.get(a.invokeId)?.get(a.answer as BackEndAnswer) ?? []).length);
  if (never.length) return `${[...new Set(never.map((a) => a.op))].join(', ')} failing or timing out: no demo customer's simulated back end ever does`;
  const behaviours = new Set(answers.filter((a) => !a.answer.startsWith('ok:')).map((a) => a.answer));
  if (behaviours.size > 1) {
    return 'a back end that answers differently per operation within one call (e.g. the business step fails or times out, then the work order or transfer goes through, or fails another way): every demo customer\'s simulated back end (ok, error, error-once or timeout) behaves alike for all its operations';
  }
  const who = p.byCustomer.size === c.enumerations.length ? 'any profile' : `a profile like ${[...p.byCustomer.keys()].join('/')}`;
  const checks = [...new Set(answers.filter((a) => a.answer.startsWith('ok:')).map((a) => `${a.op} ${a.answer}`))];
  return `${who} with back end '${[...behaviours][0] ?? 'any'}'${checks.length ? ` and ${checks.join(', ')}` : ''}: no demo customer combines these`;
}

function signatureOf(c: FlowCoverage, p: CoveredPath): string {
  const parts = p.steps.flatMap((s) => {
    const l = s.label;
    if (l.kind === 'decision') return [];
    if (l.kind === 'timeout') return (c.analysis.invokes.get(s.state) ?? []).map((i) => `${operationName(c, i.id)} timeout`);
    const ok = (l.kind === 'done' && (l.output as { ok?: unknown })?.ok) ?? undefined;
    return [`${operationName(c, l.invokeId)} ${l.kind === 'error' ? 'error' : ok === false ? 'ok:false' : ok === true ? 'ok:true' : 'ok'}`];
  });
  return parts.join(' → ') || '(none)';
}

function needsOf(c: FlowCoverage, p: CoveredPath): string[] {
  const who = (invokeId: string, answer: BackEndAnswer) => {
    const customers = c.backEnd?.get(invokeId)?.get(answer) ?? [];
    return c.backEnd ? (customers.length ? ` [demo customers whose simulator does: ${customers.join(', ')}]` : ' [NO demo customer\'s simulator does]') : '';
  };
  return p.steps
    .filter((s) => s.label.kind !== 'decision')
    .map((s) => {
      const l = s.label;
      if (l.kind === 'done') return `${s.state}: ${l.src} answers ${JSON.stringify(l.output)}`;
      if (l.kind === 'error') return `${s.state}: ${l.src} fails${who(l.invokeId, 'error')}`;
      if (l.kind === 'timeout') {
        const inv = c.analysis.invokes.get(s.state) ?? [];
        return `${s.state}: ${inv.map((i) => i.src).join('+') || 'the step'} times out (${l.delay})${inv.map((i) => who(i.id, 'timeout')).join('')}`;
      }
      return '';
    });
}

/** A simple path's outcome; a loop path's, the outcomes its runs ended with (else the enumeration's guess). */
export function outcomesOf(p: CoveredPath): string[] {
  const reached = [...new Set(p.runs.filter((r) => r.reached).map((r) => r.outcome!))];
  return p.kind === 'simple' || !reached.length ? [p.outcome] : reached;
}

export function reportOf(c: FlowCoverage): FlowReport {
  const { flow, analysis } = c;
  const def = flow.definition;
  const visited = new Set(c.paths.flatMap((p) => [...p.steps.map((s) => s.state), p.final]));
  const outcomes: Record<string, number> = {};
  for (const p of c.paths) for (const o of outcomesOf(p)) outcomes[o] = (outcomes[o] ?? 0) + 1;
  const { successOutcomes } = analysis;
  const best = (ps: CoveredPath[]) => [...ps].sort((a, b) => a.agentSteps - b.agentSteps || a.steps.length - b.steps.length)[0];
  const summary = (p: CoveredPath | undefined) =>
    p ? { agentSteps: p.agentSteps, outcome: p.outcome, key: p.key, decisions: p.steps.filter((s) => s.label.kind === 'decision').map((s) => decisionName(flow, s)) } : null;
  const simple = c.paths.filter((p) => p.kind === 'simple');
  const success = best(simple.filter((p) => successOutcomes.includes(p.outcome)));
  const main = best(simple.filter((p) => p.outcome === analysis.mainOutcome));
  const business = (def.kind ?? 'business') === 'business';
  const exceeds = success ? success.agentSteps > 3 : null;
  const mainExceeds = main ? main.agentSteps > 3 : null;
  let reason: string;
  if (!success) reason = 'no successful path found';
  else if (exceeds) reason = `shortest successful path (${success.outcome}) takes ${success.agentSteps} agent operations: ${explain(flow, success)}`;
  else reason = `shortest successful path (${success.outcome}) within target: ${success.agentSteps} (${success.steps.filter((s) => s.label.kind === 'decision').map((s) => decisionName(flow, s)).join(', ')})`;
  if (main && main !== success) {
    reason += main.agentSteps > 3 ? `; the business itself ('${main.outcome}') takes ${main.agentSteps}: ${explain(flow, main)}` : `; the business itself ('${main.outcome}') takes ${main.agentSteps}`;
  }

  const unreachable: UnreachablePath[] = c.paths
    .filter((p) => p.reachedBy.length === 0)
    .map((p) => {
      // Customers that stop at the same place for the same kind of reason are listed together.
      const groups = new Map<string, { msisdn: string[]; stoppedAt: string; reason: string }>();
      for (const r of p.runs) {
        const stoppedAt = r.failure ? `${r.failure.state}[${r.failure.label}]` : '?';
        const reason = (r.failure?.reason ?? '?').replace(/cov-[\w.~:-]+/g, '…');
        const g = groups.get(`${stoppedAt}|${reason}`) ?? { msisdn: [], stoppedAt, reason };
        g.msisdn.push(r.msisdn);
        groups.set(`${stoppedAt}|${reason}`, g);
      }
      const tried = [...groups.values()].map((g) => ({ msisdn: g.msisdn.join(', '), stoppedAt: g.stoppedAt, reason: g.reason }));
      const backEnd = needsOf(c, p);
      const profiles = p.byCustomer.size === c.enumerations.length ? 'any demo profile' : `the profile of ${[...p.byCustomer.keys()].join(', ')}`;
      const needed = `a customer with ${profiles} whose back end gives, in order: ${backEnd.join('; ') || '(no back-end step)'}`;
      return { key: p.key, example: p.kind === 'loop' ? loopKey(p.steps, p.next ?? p.final) : undefined, outcome: p.outcome, signature: signatureOf(c, p), need: needOf(c, p), backEnd, tried, needed };
    });

  return {
    file: path.basename(c.file),
    id: def.id,
    version: def.version,
    kind: def.kind ?? 'business',
    title: def.title.en,
    states: analysis.stateIds.length,
    statesOnPaths: visited.size,
    statesNeverVisited: analysis.stateIds.filter((s) => !visited.has(s)),
    paths: c.paths.length,
    simplePaths: c.paths.filter((p) => p.kind === 'simple').length,
    loopPaths: c.paths.filter((p) => p.kind === 'loop').length,
    outcomes,
    mainOutcome: analysis.mainOutcome,
    successOutcomes,
    shortestSuccess: summary(success),
    shortestMain: summary(main),
    exceedsTarget: business ? exceeds : null,
    mainExceedsTarget: business ? mainExceeds : null,
    reason: business ? reason : `sub-blueprint (${def.kind}), not a hot business: ${reason}`,
    reachedPaths: c.paths.filter((p) => p.reachedBy.length > 0).length,
    reachedByDemo: c.paths.filter((p) => p.reachedBy.length > p.derived.length).length,
    derived: c.paths.flatMap((p) => p.derived.map((d) => ({ key: p.kind === 'loop' ? `loop ${p.edge}` : p.key, ...d }))),
    unreachable,
    capped: c.enumerations.filter((e) => e.capped).map((e) => e.customer),
    deadEnds: [...new Set(c.enumerations.flatMap((e) => e.deadEnds))],
    customersPerPath: c.paths.map((p) => ({ key: p.key, kind: p.kind, outcomes: outcomesOf(p), reachedBy: p.reachedBy })),
  };
}

export function renderTable(reports: FlowReport[]): string {
  const rows = reports.map((r) => {
    const s = r.shortestSuccess;
    const yn = (x: boolean | null) => (x === null ? 'n/a' : x ? '**yes**' : 'no');
    const exceeds = r.exceedsTarget === null ? 'n/a (sub-blueprint)' : `${yn(r.exceedsTarget)} / ${yn(r.mainExceedsTarget)}`;
    const outcomes = Object.entries(r.outcomes).map(([o, n]) => `${o} ${n}`).join(', ');
    return `| ${r.id}@${r.version} | ${r.kind} | ${r.statesOnPaths}/${r.states} | ${r.paths} (${r.simplePaths}+${r.loopPaths}) | ${r.reachedByDemo} + ${r.reachedPaths - r.reachedByDemo} = ${r.reachedPaths}/${r.paths} | ${outcomes} | ${s ? `${s.agentSteps} (${s.outcome})` : '—'} | ${r.shortestMain ? `${r.shortestMain.agentSteps} (${r.shortestMain.outcome})` : '—'} | ${exceeds} |`;
  });
  return [
    '| flow | kind | states on paths / states | paths (simple+loop) | reached: demo + derived customers | outcomes (paths) | agent steps, shortest success | agent steps, main outcome | > 3 (shortest success / main) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** What the unreached paths need from a back end, over all flows: the demo customers that are missing. */
export function neededCustomers(reports: FlowReport[]): string {
  const needs = new Map<string, Map<string, number>>();
  for (const r of reports) {
    for (const u of r.unreachable) {
      const flows = needs.get(u.need) ?? new Map<string, number>();
      flows.set(r.id, (flows.get(r.id) ?? 0) + 1);
      needs.set(u.need, flows);
    }
  }
  if (!needs.size) return 'Every path is reached by a demo customer or a customer derived from one.';
  const rows = [...needs]
    .sort((a, b) => [...b[1].values()].reduce((x, y) => x + y, 0) - [...a[1].values()].reduce((x, y) => x + y, 0))
    .map(([need, flows]) => `| ${need} | ${[...flows].map(([f, n]) => `${f} (${n})`).join(', ')} |`);
  return ['| missing demo customer | flows (unreached paths) |', '|---|---|', ...rows].join('\n');
}

export function renderReport(reports: FlowReport[], loadErrors: { file: string; error: string }[]): string {
  const out: string[] = [renderTable(reports), '', '#### Customers that would be needed (paths neither a demo nor a derived customer reaches)', '', neededCustomers(reports), ''];
  for (const r of reports) {
    out.push(`### ${r.id}@${r.version} — ${r.title} (\`${r.file}\`)`, '');
    out.push(`- ${r.kind === 'business' ? 'agent operations' : 'agent steps'}: ${r.reason}`);
    if (r.shortestSuccess) out.push(`- shortest successful path: \`${r.shortestSuccess.key}\``);
    if (r.shortestMain && r.shortestMain.key !== r.shortestSuccess?.key) out.push(`- shortest '${r.shortestMain.outcome}' path: \`${r.shortestMain.key}\``);
    if (r.statesNeverVisited.length) out.push(`- states on no path: ${r.statesNeverVisited.join(', ')}`);
    if (r.capped.length) out.push(`- enumeration capped for: ${r.capped.join(', ')}`);
    if (r.deadEnds.length) out.push(`- transitions from which no ending is reachable: ${r.deadEnds.join(', ')}`);
    if (r.derived.length) {
      out.push(`- ${r.derived.length} path(s) reached only by a derived customer (a demo customer's record, the back end scripted per operation):`);
      for (const d of r.derived) out.push(`    - \`${d.key}\` — ${d.msisdn} from ${d.basedOn}, back end \`${JSON.stringify(d.backend)}\`, IVR password ${d.ivrPassword}`);
    }
    if (r.unreachable.length) {
      out.push(`- **${r.unreachable.length} path(s) no customer reaches**, by the customer they would need:`);
      const byNeed = new Map<string, UnreachablePath[]>();
      for (const u of r.unreachable) byNeed.set(u.need, [...(byNeed.get(u.need) ?? []), u]);
      for (const [need, us] of byNeed) {
        out.push(`  - ${need} — ${us.length} path(s):`);
        for (const u of us) out.push(`    - \`${u.key}\`${u.example ? ` (via \`${u.example}\`)` : ''} — back end: \`${u.signature}\``);
      }
    }
    out.push('');
  }
  if (loadErrors.length) {
    out.push('### Files that do not load', '');
    for (const e of loadErrors) out.push(`- \`${path.basename(e.file)}\`:`, '', '```', e.error, '```', '');
  }
  return out.join('\n');
}
