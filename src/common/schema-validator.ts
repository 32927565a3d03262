import Ajv, { type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A data file's schema (the marketing matrix, the evaluation model, the IVR map, …): its name, the
 * ajv options it is checked with, and the schemas it refers to by `$id`.
 */
export interface SchemaSpec {
  /** Names the precompiled file: unique across the server. */
  key: string;
  schema: object;
  options?: Options;
  refs?: readonly object[];
}

/** Where the build writes each schema's validator as code (`npm run build`: src/precompile-validators.ts); beside this file in dist/. */
export const PRECOMPILED_DIR = path.join(__dirname, 'schema-validators.precompiled');

const EXPORT = 'validate';
/** Every schema asked for so far, with its hash (the modules that were loaded register theirs at load). */
const registered = new Map<string, { spec: SchemaSpec; hash: string; precompiled: boolean }>();

/** What the build precompiles. */
export const registeredSchemas = (): SchemaSpec[] => [...registered.values()].map((r) => r.spec);

/** Each schema asked for, and whether the build's code serves it (a boot of a built server: all of them). */
export const schemaLoads = (): { key: string; precompiled: boolean }[] =>
  [...registered.values()].map((r) => ({ key: r.spec.key, precompiled: r.precompiled }));

/** Names the schema, its refs, ajv's version and the options: precompiled code made from anything else is not used. */
export function specHash(spec: SchemaSpec): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('ajv/package.json') as { version: string };
  return createHash('sha256')
    .update(JSON.stringify({ ajv: version, options: spec.options ?? {}, schema: spec.schema, refs: spec.refs ?? [] }))
    .digest('hex');
}

function ajvFor(spec: SchemaSpec, source: boolean): Ajv {
  const ajv = new Ajv({ ...spec.options, ...(source ? { code: { source: true } } : {}) });
  for (const ref of spec.refs ?? []) ajv.addSchema(ref);
  return ajv;
}

/** Compiles the schema now (what every process did at load before the build wrote the code). */
export const compileSchema = (spec: SchemaSpec): ValidateFunction => ajvFor(spec, false).compile(spec.schema);

/** The validator as one CommonJS module's source (ajv's standalone code), with the hash of what it was made from. */
export function standaloneSource(spec: SchemaSpec): string {
  const ajv = ajvFor(spec, true);
  const id = (spec.schema as { $id?: string }).$id;
  ajv.addSchema(spec.schema, id ? undefined : spec.key);
  return `${standaloneCode(ajv, { [EXPORT]: id ?? spec.key })}\nexports.schemaHash = ${JSON.stringify(specHash(spec))};\n`;
}

export const precompiledFile = (key: string, dir = PRECOMPILED_DIR): string => path.join(dir, `${key}.js`);

/**
 * The schema's validator: the code the build wrote when it was made from this very schema (no
 * compiling at boot), else compiled now. Either way the same checks: the precompiled file is ajv's
 * own output. Registers the schema, so the build finds it.
 */
export function schemaValidator(spec: SchemaSpec, dir = PRECOMPILED_DIR): ValidateFunction & { precompiled: boolean } {
  const hash = specHash(spec);
  if (registered.has(spec.key) && registered.get(spec.key)!.hash !== hash) throw new Error(`schema key '${spec.key}' names two schemas`);
  const file = precompiledFile(spec.key, dir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = existsSync(file) ? (require(file) as { validate: ValidateFunction; schemaHash?: string }) : undefined;
  const precompiled = module?.schemaHash === hash;
  registered.set(spec.key, { spec, hash, precompiled });
  return Object.assign(precompiled ? module![EXPORT] : compileSchema(spec), { precompiled });
}
