import * as path from 'node:path';
import type { CompiledFlow } from '../flows/flow-loader';
import { loadFlowFile } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { loadMatrixFile, type MarketingMatrix } from '../flows/marketing-matrix';
import { createRegistry } from '../flows/registry/registry';
import { flowForRegion } from '../flows/regional-variant';

export const FLOWS_DIR = path.resolve(__dirname, '../../flows');

/** A FlowResolver over the flow files, all frozen "since the epoch": specs and the load bench's call scripts. */
export const MATRIX_FILE = path.join(FLOWS_DIR, 'marketing/related-marketing.json');

export function fileFlows(
  ids: string[],
  delays = { backendTimeout: 10_000 },
  matrix: MarketingMatrix | null = loadMatrixFile(MATRIX_FILE).matrix,
): FlowResolver & { get(id: string): CompiledFlow } {
  const registry = createRegistry(delays);
  const flows = new Map(ids.map((id) => [id, loadFlowFile(path.join(FLOWS_DIR, `${id}.json`), registry)]));
  const get = (id: string) => {
    const flow = flows.get(id);
    if (!flow) throw new Error(`flow ${id} not loaded`);
    return flow;
  };
  return {
    get,
    exact: (id, version, region) => {
      const flow = get(id);
      if (flow.definition.version !== version) throw new Error(`flow ${id}@${version} not loaded`);
      return flowForRegion(flow, region, registry);
    },
    at: (id, _at, region) => {
      const flow = flows.get(id);
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    hangUp: (_at, region) => {
      const flow = [...flows.values()].find((f) => f.definition.kind === 'hang-up');
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    matrix: () => matrix,
  };
}
