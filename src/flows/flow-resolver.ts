import type { CompiledFlow } from './flow-loader';
import type { MarketingMatrix } from './marketing-matrix';

/** How flows are found while a call runs. Time-based, so a replay picks exactly what the call picked. */
export interface FlowResolver {
  /** The version a logged segment ran on (with the variant of the customer's region, if it has one). */
  exact(flowId: string, version: number, region?: string | null): CompiledFlow;
  /** The version a call started at `at` runs on: the one published then; null if none. */
  at(flowId: string, at: string, region?: string | null): CompiledFlow | null;
  /** The shared hang-up sub-blueprint as of `at`. */
  hangUp(at: string, region?: string | null): CompiledFlow | null;
  /** The related-marketing matrix as of `at` (a call uses the one in force when it started). */
  matrix(at: string): MarketingMatrix | null;
}
