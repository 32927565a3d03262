#!/usr/bin/env node
// Generates the code of the data files' JSON-schema validators (ajv standalone) into dist/validators/,
// so that a start loads them instead of compiling (src/common/schema-validator.ts). Run by
// `npm run build` after `nest build`: loads the built app's modules (each declares its validators as
// it loads) and writes one module per validator, with the fingerprint of the schema it came from.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'validators');

rmSync(OUT, { recursive: true, force: true });
const { declaredValidators, generatedValidatorModule } = require(path.join(DIST, 'common/schema-validator.js'));
require(path.join(DIST, 'app.module.js'));
mkdirSync(OUT, { recursive: true });
for (const [name, declaration] of declaredValidators()) writeFileSync(path.join(OUT, `${name}.js`), generatedValidatorModule(declaration));
process.stdout.write(`build-validators: ${declaredValidators().size} validators generated into dist/validators\n`);
