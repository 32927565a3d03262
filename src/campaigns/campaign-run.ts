// No Nest here: the campaign worker thread (campaign.worker.ts) runs this, and so does the in-process fallback — hence the
// metrics' call-facts file rather than the metrics module's index (which loads Nest).
import type { CampaignBrand, CampaignResult, CampaignRun } from '../../protocol/campaigns';
import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import { callTrace } from '../calls/step';
import type { FlowDefinition } from '../flows/flow-definition';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import type { FlowProblem } from '../flows/flow-validator';
import { mainPath } from '../flows/main-path';
import type { MarketingMatrix } from '../flows/marketing-matrix';
import { flowForRegion } from '../flows/regional-variant';
import { createRegistry } from '../flows/registry/registry';
import { loadStoredVersion } from '../flows/stored-version';
import { dimensionsOf, extractFacts, segmentVisits } from '../metrics/call-facts';
import { analyseFlow, enumeratePaths, profilesOf, runPath, type RunResult } from '../simulation';
import { drawCallers, trajectoryMatch } from './campaign-sample';

/** Paths a simulated caller tries, best-matching first, before the run counts as stuck. */
const PATHS_TRIED = 32;

/** One campaign as plain data, so that it can cross to the worker thread. */
export interface CampaignJob {
  flowId: string;
  version: number;
  /** The version's stored text (the worker compiles it). */
  definition: string;
  /** The flows in force (their definitions as JSON text): the businesses a call may move into, the hang-up. */
  inForce: string[];
  matrix: MarketingMatrix | null;
  delays: Record<string, number>;
  calls: number;
  quota: Record<CampaignBrand, number>;
  seed: number;
}

export type CampaignOutcome = { ok: true; result: CampaignResult } | { ok: false; problems: FlowProblem[] };

/**
 * Test dialling (拨测, docs/CAMPAIGNS.md): `calls` simulated callers drawn by brand quota, each
 * calling the version through the real pure step function against the back-end simulator. A caller
 * tries to go the blueprint's main way: of the paths the flow offers this customer, the ones that
 * follow the main path most closely are run first (as a tester would), and the first the customer's
 * back end lets through is the call. What it was is then read as the metrics read any call (its
 * facts): success, the F steps entered and their causes, the steps visited.
 */
export async function runCampaign(job: CampaignJob, fixtures: CustomerFixture[]): Promise<CampaignOutcome> {
  const registry = createRegistry(job.delays);
  const load = loadStoredVersion({ flowId: job.flowId, version: job.version, definition: job.definition }, registry);
  if (!load.ok) return { ok: false, problems: load.problems };
  const target = load.flow;
  const others = job.inForce.flatMap((text): CompiledFlow[] => {
    const { id, version } = JSON.parse(text) as { id: string; version: number };
    const loaded = id === job.flowId ? null : loadStoredVersion({ flowId: id, version, definition: text }, registry);
    return loaded?.ok ? [loaded.flow] : [];
  });
  const byId = new Map(others.map((f) => [f.definition.id, f]));
  const flows: FlowResolver = {
    exact: (id, v, region) => {
      const flow = id === job.flowId && v === job.version ? target : byId.get(id);
      if (!flow || flow.definition.version !== v) throw new Error(`flow ${id}@${v} is not in force`);
      return flowForRegion(flow, region, registry);
    },
    at: (id, _at, region) => {
      const flow = id === job.flowId ? target : byId.get(id);
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    hangUp: (_at, region) => {
      const flow = others.find((f) => f.definition.kind === 'hang-up');
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    matrix: () => job.matrix,
  };
  // The blueprint the runs are matched against: the main path of the version in force (a draft's own may be what is broken).
  const inForce = job.inForce.map((text) => JSON.parse(text) as FlowDefinition).find((d) => d.id === job.flowId);
  const main = mainPath(inForce ?? target.definition);
  const analysis = analyseFlow(target.definition, job.matrix);
  const profiles = new Map((await profilesOf(fixtures)).map((p) => [p.msisdn, p]));
  const callers = drawCallers(fixtures, job.calls, job.quota, job.seed);
  const plans = new Map<string, ReturnType<typeof enumeratePaths>['paths']>();
  const calls: CampaignRun[] = [];
  for (const [i, { customer, brand }] of callers.entries()) {
    const region = profiles.get(customer.msisdn)?.region ?? null;
    const flow = flowForRegion(target, region, registry);
    let paths = plans.get(customer.msisdn);
    if (!paths) {
      const all = enumeratePaths(flow, profiles.get(customer.msisdn)!, { flows, maxPaths: 200 }, analysis).paths;
      const match = (p: (typeof all)[number]) => trajectoryMatch([...p.steps.map((s) => s.state), p.final], main);
      paths = all
        .map((p, k) => ({ p, k, m: match(p) }))
        .sort((a, b) => b.m - a.m || a.k - b.k)
        .slice(0, PATHS_TRIED)
        .map(({ p }) => p);
      plans.set(customer.msisdn, paths);
    }
    let run: RunResult | null = null;
    let stuck: RunResult | null = null;
    for (const path of paths) {
      const tried = await runPath(path, { flow, flows, fixtures, msisdn: customer.msisdn, callId: `campaign-${i + 1}`, analysis });
      if (tried.reached) {
        run = tried;
        break;
      }
      if (!stuck || (tried.failure?.step ?? -1) > (stuck.failure?.step ?? -1)) stuck = tried;
    }
    calls.push(run ? callOf(i + 1, customer.msisdn, brand, run, job.flowId, main) : stuckCall(i + 1, customer.msisdn, brand, stuck, paths[0], main));
  }
  return { ok: true, result: tableOf(calls, main) };
}

/** A call that went through: read as its facts (the metrics' definitions of success and failure cause). */
function callOf(n: number, msisdn: string, brand: CampaignBrand, run: RunResult, flowId: string, main: string[]): CampaignRun {
  const trace = callTrace(run.progress!);
  const facts = extractFacts(dimensionsOf(trace.callId, trace.agentId, trace.startedAt, { callerNumber: msisdn, customer: trace.customer }), trace);
  const segment = facts.segments.find((s) => s.flowId === flowId) ?? facts.segments[0];
  const visits = segmentVisits(facts.steps, segment.segment);
  const steps = visits.map((v) => v.stepId);
  // Where it went wrong: the first F step entered on a back end's failure, else the first F step off the main path (a failure
  // step entered all the same: a wiring mistake), else the ending.
  const failed = visits.find((v) => v.failureCause) ?? visits.find((v) => v.marks.includes('F') && !main.includes(v.stepId));
  const ending = steps.at(-1) ?? '';
  return {
    n,
    msisdn,
    brand,
    success: segment.success,
    ending,
    outcome: segment.outcome,
    steps,
    failure: segment.success ? null : failed ? { stepId: failed.stepId, cause: failed.failureCause ?? 'NO_FAILURE' } : { stepId: ending, cause: 'ENDED' },
    trajectoryMatch: trajectoryMatch(steps, main),
  };
}

/** A call no path let through (the flow or the customer's back end stops it): where the furthest attempt stopped, and why. */
function stuckCall(
  n: number,
  msisdn: string,
  brand: CampaignBrand,
  run: RunResult | null,
  path: { steps: { state: string }[] } | undefined,
  main: string[],
): CampaignRun {
  const at = run?.failure ?? null;
  const steps = path ? path.steps.slice(0, (at?.step ?? 0) + 1).map((s) => s.state) : [];
  const stepId = at?.state ?? steps.at(-1) ?? '';
  return {
    n,
    msisdn,
    brand,
    success: false,
    ending: stepId,
    outcome: 'stuck',
    steps,
    failure: { stepId, cause: 'STUCK', detail: at ? at.reason : 'the flow offers this customer no way to an ending' },
    trajectoryMatch: trajectoryMatch(steps, main),
  };
}

/** The field report's table: runs, successes, per brand, failures by step and cause, mean trajectory match. */
export function tableOf(calls: CampaignRun[], main: string[]): CampaignResult {
  const failures = new Map<string, { stepId: string; cause: string; count: number }>();
  for (const c of calls) {
    if (!c.failure) continue;
    const key = `${c.failure.stepId}\u0000${c.failure.cause}`;
    const had = failures.get(key) ?? { stepId: c.failure.stepId, cause: c.failure.cause, count: 0 };
    had.count++;
    failures.set(key, had);
  }
  const brands = [...new Set(calls.map((c) => c.brand))];
  const mean = calls.length ? calls.reduce((a, c) => a + c.trajectoryMatch, 0) / calls.length : 0;
  return {
    runs: calls.length,
    successes: calls.filter((c) => c.success).length,
    mainPath: main,
    byBrand: brands.map((brand) => ({
      brand,
      runs: calls.filter((c) => c.brand === brand).length,
      successes: calls.filter((c) => c.brand === brand && c.success).length,
    })),
    failures: [...failures.values()].sort((a, b) => b.count - a.count || a.stepId.localeCompare(b.stepId) || a.cause.localeCompare(b.cause)),
    trajectoryMatch: Math.round(mean * 10_000) / 10_000,
    calls,
  };
}
