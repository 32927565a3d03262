import * as path from 'node:path';
import type { VersionPaths } from '../../protocol/authoring';
import type { CustomerProfile } from '../backend/customer';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import type { FlowResolver } from '../flows/flow-resolver';
import type { FlowProblem } from '../flows/flow-validator';
import type { MarketingMatrix } from '../flows/marketing-matrix';
import { createRegistry } from '../flows/registry/registry';
import { loadStoredVersion } from '../flows/stored-version';
import { enumerateFlow, labelName, profilesOf } from '../simulation';

/**
 * One path enumeration as plain data, so that it can cross to the paths worker thread
 * (flow-paths.worker.ts): nothing in it is compiled or bound to the main thread's services.
 */
export interface PathsJob {
  flowId: string;
  version: number;
  /** The stored definition's exact text (the worker compiles it). */
  definition: string;
  /** The related-marketing matrix in force: the only thing `enumerateFlow` asks its FlowResolver for. */
  matrix: MarketingMatrix | null;
  /** The registry's named delays (AppConfig.BACKEND_TIMEOUT_MS), as the catalog compiles with. */
  delays: Record<string, number>;
}

/** The answer as JSON text, or why the version does not load (the main thread makes the 422 of it). */
export type PathsResult = { ok: true; json: string } | { ok: false; problems: FlowProblem[] };

/** The simulator customers' profiles the paths are enumerated over (CUSTOMERS_FILE). */
export function customerProfiles(customersFile: string): Promise<CustomerProfile[]> {
  return profilesOf(loadCustomerFixtures(path.resolve(customersFile)));
}

/**
 * Every path of a version, from the machine itself (XState's graph utilities, as the coverage
 * suite does), serialized once: the worker thread runs this, and so does the in-process fallback.
 */
export function versionPaths(job: PathsJob, profiles: CustomerProfile[]): PathsResult {
  const load = loadStoredVersion({ flowId: job.flowId, version: job.version, definition: job.definition }, createRegistry(job.delays));
  if (!load.ok) return { ok: false, problems: load.problems };
  const { flow } = load;
  // enumerateFlow reads only the matrix from its resolver (offers shown, marketing points); the
  // other lookups are for running calls down the paths, which the listing does not do.
  const unused = (): never => {
    throw new Error('the paths listing resolves no other flow');
  };
  const flows: FlowResolver = { exact: unused, at: unused, hangUp: unused, matrix: () => job.matrix };
  const { definition } = flow;
  const coverage = enumerateFlow(`${definition.id}@${definition.version}`, flow, profiles, { flows, maxPaths: 200 });
  const paths = coverage.paths.map((p) => ({
    key: p.key,
    kind: p.kind,
    outcome: p.outcome,
    agentSteps: p.agentSteps,
    steps: p.steps.map((s) => ({ state: s.state, via: labelName(s.label) })),
    customers: [...p.byCustomer.keys()],
  }));
  const success = paths.filter((p) => p.kind === 'simple' && coverage.analysis.successOutcomes.includes(p.outcome)).map((p) => p.agentSteps);
  const answer: VersionPaths = { paths, shortestSuccess: success.length ? Math.min(...success) : null };
  return { ok: true, json: JSON.stringify(answer) };
}
