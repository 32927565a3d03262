// The flow files of a directory, each compiled on its own (a bad file is reported, not fatal).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CompiledFlow, loadFlowFile } from '../flows/flow-loader';
import { createRegistry } from '../flows/registry/registry';

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
