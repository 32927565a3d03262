import type { CompiledFlow } from './flow-loader';
import type { MarketingMatrix } from './marketing-matrix';

/** How flows are found while a call runs. Time-based, so a replay picks exactly what the call picked. */
export interface FlowResolver {
  /** The version a logged segment ran on. */
  exact(flowId: string, version: number): CompiledFlow;
  /** The version a business started at `at` runs on: the newest one frozen by then; null if none. */
  at(flowId: string, at: string): CompiledFlow | null;
  /** The shared hang-up sub-blueprint as of `at`. */
  hangUp(at: string): CompiledFlow | null;
  /** The related-marketing matrix as of `at` (a call uses the one in force when it started). */
  matrix(at: string): MarketingMatrix | null;
}
