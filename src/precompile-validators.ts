/**
 * `npm run build` runs this from dist/: writes every schema's validator as code, so a boot loads them
 * instead of compiling them (docs/PERFORMANCE.md, twenty-first to twenty-third sessions): each schema
 * that a module registers at load (common/schema-validator.ts: the flow file's, its conditions' and
 * params', each data file's), found by loading every module of the server (loading only: nothing starts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { PRECOMPILED_DIR, precompiledFile, registeredSchemas, standaloneSource } from './common/schema-validator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./app.module');
rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
mkdirSync(PRECOMPILED_DIR, { recursive: true });
for (const spec of registeredSchemas()) writeFileSync(precompiledFile(spec.key), standaloneSource(spec));
