import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import type { VersionPaths } from '../../protocol/authoring';
import type { CustomerProfile } from '../backend/customer';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import type { CompiledFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { enumerateFlow, labelName, profilesOf } from '../simulation';

/**
 * Every path of a version, from the machine itself (XState's graph utilities, as the coverage
 * suite does), over the simulator customers' profiles — so a supervisor sees before publishing
 * what each path costs the agent.
 */
@Injectable()
export class FlowPaths {
  private profiles: Promise<CustomerProfile[]> | null = null;

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly config: AppConfig,
  ) {}

  async of(flow: CompiledFlow): Promise<VersionPaths> {
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
