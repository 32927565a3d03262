// What a flow's coverage says: agent steps on the best paths, unreached paths and the customers they need.
import * as path from 'node:path';
import type { BackendSetting } from '../backend/simulator/customer-fixtures';
import { stepMeta } from '../calls/step';
import type { CompiledFlow } from '../flows/flow-loader';
import type { CoveredPath, FlowCoverage } from './flow-coverage';
import { labelName, loopKey, type PathStep } from './path-model';
import type { BackEndAnswer } from './probe-backend';

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
    return [
      {
        op: operationName(c, l.invokeId),
        invokeId: l.invokeId,
        answer: l.kind === 'error' ? 'error' : ok === false ? 'ok:false' : ok === true ? 'ok:true' : 'ok',
      },
    ];
  });
  const never = answers.filter(
    (a) => (a.answer === 'error' || a.answer === 'timeout') && c.backEnd && !(c.backEnd.get(a.invokeId)?.get(a.answer as BackEndAnswer) ?? []).length,
  );
  if (never.length) return `${[...new Set(never.map((a) => a.op))].join(', ')} failing or timing out: no demo customer's simulated back end ever does`;
  const behaviours = new Set(answers.filter((a) => !a.answer.startsWith('ok:')).map((a) => a.answer));
  if (behaviours.size > 1) {
    return "a back end that answers differently per operation within one call (e.g. the business step fails or times out, then the work order or transfer goes through, or fails another way): every demo customer's simulated back end (ok, error, error-once or timeout) behaves alike for all its operations";
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
    return c.backEnd ? (customers.length ? ` [demo customers whose simulator does: ${customers.join(', ')}]` : " [NO demo customer's simulator does]") : '';
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
    p
      ? {
          agentSteps: p.agentSteps,
          outcome: p.outcome,
          key: p.key,
          decisions: p.steps.filter((s) => s.label.kind === 'decision').map((s) => decisionName(flow, s)),
        }
      : null;
  const simple = c.paths.filter((p) => p.kind === 'simple');
  const success = best(simple.filter((p) => successOutcomes.includes(p.outcome)));
  const main = best(simple.filter((p) => p.outcome === analysis.mainOutcome));
  const business = (def.kind ?? 'business') === 'business';
  const exceeds = success ? success.agentSteps > 3 : null;
  const mainExceeds = main ? main.agentSteps > 3 : null;
  let reason: string;
  if (!success) reason = 'no successful path found';
  else if (exceeds) reason = `shortest successful path (${success.outcome}) takes ${success.agentSteps} agent operations: ${explain(flow, success)}`;
  else
    reason = `shortest successful path (${success.outcome}) within target: ${success.agentSteps} (${success.steps
      .filter((s) => s.label.kind === 'decision')
      .map((s) => decisionName(flow, s))
      .join(', ')})`;
  if (main && main !== success) {
    reason +=
      main.agentSteps > 3
        ? `; the business itself ('${main.outcome}') takes ${main.agentSteps}: ${explain(flow, main)}`
        : `; the business itself ('${main.outcome}') takes ${main.agentSteps}`;
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
      return {
        key: p.key,
        example: p.kind === 'loop' ? loopKey(p.steps, p.next ?? p.final) : undefined,
        outcome: p.outcome,
        signature: signatureOf(c, p),
        need: needOf(c, p),
        backEnd,
        tried,
        needed,
      };
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
