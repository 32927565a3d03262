import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { VersionPaths } from '../../protocol/authoring';
import type { CustomerProfile } from '../backend/customer';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { enumerateFlow, labelName, profilesOf } from '../simulation';

/** Enumerations kept (a stored version's answer never changes while the offers matrix in force does not). */
const CACHED_ENUMERATIONS = 64;
/** Distinct enumerations computed at once; one more is refused (429 RATE_LIMITED) rather than queued. */
const MAX_COMPUTING = 1;

/**
 * Every path of a version, from the machine itself (XState's graph utilities, as the coverage
 * suite does), over the simulator customers' profiles — so a supervisor sees before publishing
 * what each path costs the agent.
 *
 * The enumeration is expensive (about a second for a large flow), so it is bounded (issue 17 item 2):
 * each answer is cached in an LRU keyed by flow, version, content hash and the offers matrix in force
 * (a draft edited since has another hash), concurrent requests for the same key share one
 * computation (its JSON text is kept, so a cached answer costs no serialization), and at most MAX_COMPUTING distinct ones run at once — a further one gets RATE_LIMITED.
 */
@Injectable()
export class FlowPaths {
  private profiles: Promise<CustomerProfile[]> | null = null;
  private readonly cache = new LRUCache<string, Promise<string>>({ max: CACHED_ENUMERATIONS });
  private computing = 0;

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly config: AppConfig,
  ) {}

  /** The answer as it is sent: JSON text, serialized once per cached enumeration. */
  json(flowId: string, version: number, stored: { text: string; compile: () => CompiledFlow }): Promise<string> {
    const matrix = this.catalog.matrix(new Date().toISOString());
    const hash = createHash('sha256').update(stored.text).digest('hex');
    const key = `${flowId}@${version}#${hash}#${matrix?.version ?? '-'}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.computing >= MAX_COMPUTING) {
      return Promise.reject(new AppError('RATE_LIMITED', 'Another path enumeration is running; try again shortly'));
    }
    const flow = stored.compile(); // VERSION_DOES_NOT_LOAD: thrown before anything is counted or cached
    this.computing += 1;
    const answer = this.compute(flow)
      .then((paths) => JSON.stringify(paths))
      .finally(() => (this.computing -= 1));
    this.cache.set(key, answer);
    answer.catch(() => this.cache.delete(key));
    return answer;
  }

  private async compute(flow: CompiledFlow): Promise<VersionPaths> {
    const { definition } = flow;
    this.profiles ??= profilesOf(loadCustomerFixtures(path.resolve(this.config.CUSTOMERS_FILE)));
    // Offers as the matrix in force now has them (the enumeration reads it at its own logical start).
    const now = new Date().toISOString();
    const flows: FlowResolver = {
      exact: (id, v, region) => this.catalog.exact(id, v, region),
      at: (id, _at, region) => this.catalog.at(id, now, region),
      hangUp: (_at, region) => this.catalog.hangUp(now, region),
      matrix: () => this.catalog.matrix(now),
    };
    const coverage = enumerateFlow(`${definition.id}@${definition.version}`, flow, await this.profiles, { flows, maxPaths: 200 });
    const paths = coverage.paths.map((p) => ({
      key: p.key,
      kind: p.kind,
      outcome: p.outcome,
      agentSteps: p.agentSteps,
      steps: p.steps.map((s) => ({ state: s.state, via: labelName(s.label) })),
      customers: [...p.byCustomer.keys()],
    }));
    const success = paths.filter((p) => p.kind === 'simple' && coverage.analysis.successOutcomes.includes(p.outcome)).map((p) => p.agentSteps);
    return { paths, shortestSuccess: success.length ? Math.min(...success) : null };
  }
}
