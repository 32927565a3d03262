/**
 * `npm run build` runs this from dist/: writes the flow validators as code beside flow-validators.js
 * (flow-validators.ts), so a boot loads them instead of compiling the flow schema (docs/PERFORMANCE.md,
 * twenty-first session).
 */
import { writeFileSync } from 'node:fs';
import { PRECOMPILED_FILE, precompiledSource } from './flow-validators';

writeFileSync(PRECOMPILED_FILE, precompiledSource());
