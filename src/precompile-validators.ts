/**
 * `npm run build` runs this from dist/: writes every schema's validator as code, so a boot loads them
 * instead of compiling them (docs/PERFORMANCE.md, twenty-first and twenty-second sessions):
 * - the flow validators beside flows/flow-validators.js (flow-validators.ts);
 * - each data file's schema that a module registers at load (common/schema-validator.ts), found by
 *   loading every module of the server (loading only: nothing starts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { PRECOMPILED_DIR, precompiledFile, registeredSchemas, standaloneSource } from './common/schema-validator';
import { PRECOMPILED_FILE, precompiledSource } from './flows/flow-validators';

writeFileSync(PRECOMPILED_FILE, precompiledSource());

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./app.module');
rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
mkdirSync(PRECOMPILED_DIR, { recursive: true });
for (const spec of registeredSchemas()) writeFileSync(precompiledFile(spec.key), standaloneSource(spec));
