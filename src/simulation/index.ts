/**
 * The call simulator: every path of a flow enumerated from its machine, and calls run down those
 * paths through the real step function against the back-end simulator. Used by the coverage spec
 * (docs/COVERAGE.md), the authoring path listing and the load bench's call scripts.
 */
export { discoverFlows, type LoadedFile } from './flow-files';
export { type CoveredPath, enumerateFlow, type FlowCoverage, profilesOf } from './flow-coverage';
export { labelName, type PathStep } from './path-model';
export { runCoverage } from './run-coverage';
export { fileFlows, FLOWS_DIR, MATRIX_FILE } from './file-flows';
export { enumeratePaths } from './enumerate-paths';
export { analyseFlow } from './flow-analysis';
export { runPath, type RunResult } from './run-path';
