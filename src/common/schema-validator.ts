import Ajv, { type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where `npm run build` writes the validators it generated (scripts/build-validators.mjs): dist/validators/. */
const GENERATED_DIR = path.join(__dirname, '..', 'validators');

export interface DeclaredSchema {
  schema: object;
  options: Options;
  /** Schemas the schema refers to by `$id`. */
  refs: object[];
}

/** Every validator asked for so far, by name: what the build generates code for. */
const declared = new Map<string, DeclaredSchema>();

/** The fingerprint a generated validator carries: the schema, its references and ajv's options it was generated from. */
export function schemaFingerprint({ schema, options, refs }: DeclaredSchema): string {
  return createHash('sha256').update(JSON.stringify({ schema, options, refs })).digest('hex');
}

function compile<T>({ schema, options, refs }: DeclaredSchema): ValidateFunction<T> {
  const ajv = new Ajv(options);
  for (const ref of refs) ajv.addSchema(ref);
  return ajv.compile<T>(schema);
}

/** The CommonJS module of a schema's validator (ajv standalone), with its fingerprint. */
export function generatedValidatorModule(declaration: DeclaredSchema): string {
  const { schema, options, refs } = declaration;
  const ajv = new Ajv({ ...options, code: { ...options.code, source: true } });
  for (const ref of refs) ajv.addSchema(ref);
  const code = standaloneCode(ajv, ajv.compile(schema));
  return `${code}\nmodule.exports = { fingerprint: ${JSON.stringify(schemaFingerprint(declaration))}, validate: module.exports };\n`;
}

/** The validator generated into `dir` for this declaration if there is one made from it, else compiled now. */
export function loadValidator<T>(dir: string, name: string, declaration: DeclaredSchema): ValidateFunction<T> {
  const file = path.join(dir, `${name}.js`);
  if (existsSync(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generated = require(file) as { fingerprint?: string; validate?: ValidateFunction<T> };
    if (generated.validate && generated.fingerprint === schemaFingerprint(declaration)) return generated.validate;
  }
  return compile<T>(declaration);
}

/**
 * A JSON schema's validator. Compiling the schemas of the data files takes ajv ~0.4 s of every
 * start (the flow schema alone ~0.2 s), before a single call can be recovered; so the build
 * generates their code once (ajv standalone, dist/validators/NAME.js) and a start loads it. The
 * generated code is used only if it was made from this very schema and options (its fingerprint):
 * a stale or missing one (as under Jest, which runs the TypeScript) is compiled here instead.
 */
export function schemaValidator<T = unknown>(name: string, schema: object, options: Options, refs: object[] = []): ValidateFunction<T> {
  const declaration = { schema, options, refs };
  declared.set(name, declaration);
  return loadValidator<T>(GENERATED_DIR, name, declaration);
}

/** The validators declared so far (for the build's code generation). */
export function declaredValidators(): ReadonlyMap<string, DeclaredSchema> {
  return declared;
}
