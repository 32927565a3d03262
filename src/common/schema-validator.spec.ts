import type { ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// Every module with a data file's schema, loaded for the schema it registers.
import '../authoring/checks/policies';
import '../cti/ivr-map';
import '../evaluation/evaluation-model';
import '../flows/marketing-matrix';
import { flowSchemaSpecs } from '../flows/flow-validators';
import '../qa/call-checks';
import '../qa/scorecard-form';
import '../work-items/service-levels';
import { compileSchema, precompiledFile, registeredSchemas, schemaValidator, type SchemaSpec, standaloneSource } from './schema-validator';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DATA_SCHEMAS = ['authoring-policies', 'evaluation-model', 'ivr-map', 'marketing-matrix', 'qa-call-checks', 'scorecard-form', 'service-levels'];

/** A directory outside the tree whose requires of `ajv/dist/runtime/…` resolve (the precompiled code's only imports). */
function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-validators-'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Every JSON file under flows/ (the data files the schemas are made for, and many they must refuse). */
function dataFiles(dir = path.join(REPO_ROOT, 'flows')): unknown[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return dataFiles(full);
    return e.name.endsWith('.json') ? [JSON.parse(fs.readFileSync(full, 'utf8')) as unknown] : [];
  });
}

/** A file, and the same file broken the ways an editor breaks one: a key missing, a key of the wrong type, a list's first item emptied or missing a key. */
function broken(file: unknown): unknown[] {
  if (!file || typeof file !== 'object' || Array.isArray(file)) return [file];
  const changed = (change: (copy: Record<string, unknown>) => void) => {
    const copy = structuredClone(file) as Record<string, unknown>;
    change(copy);
    return copy;
  };
  return [
    file,
    null,
    [],
    changed((c) => (c.unexpected = true)),
    ...Object.keys(file).flatMap((key) => {
      const value = (file as Record<string, unknown>)[key];
      const first = Array.isArray(value) ? (value[0] as unknown) : undefined;
      const itemKeys = first && typeof first === 'object' ? Object.keys(first) : [];
      return [
        changed((c) => delete c[key]),
        changed((c) => (c[key] = 42)),
        ...(Array.isArray(value) && value.length ? [changed((c) => ((c[key] as unknown[])[0] = { id: 1 }))] : []),
        ...itemKeys.map((k) => changed((c) => delete ((c[key] as unknown[])[0] as Record<string, unknown>)[k])),
      ];
    }),
  ];
}

const verdict = (validate: ValidateFunction, value: unknown) => [validate(value), validate.errors ?? null];

const tinySpec = (key: string, maximum: number): SchemaSpec => ({
  key,
  schema: {
    type: 'object',
    required: ['kind'],
    discriminator: { propertyName: 'kind' },
    oneOf: [
      { properties: { kind: { const: 'a' }, n: { type: 'integer', maximum } } },
      { properties: { kind: { const: 'b' }, when: { $ref: 'urn:test:ref' } } },
    ],
  },
  options: { allErrors: true, strict: false, discriminator: true },
  refs: [{ $id: 'urn:test:ref', type: 'string', minLength: 2 }],
});

describe('data-file schemas, precompiled by the build', () => {
  let dir: string;
  beforeAll(() => (dir = scratchDir()));

  it('registers every data file schema of the server when its module loads (what the build precompiles)', () => {
    // The flow file's own schemas register as the flow validator loads (flows/flow-validators.spec.ts checks them).
    expect(
      registeredSchemas()
        .map((s) => s.key)
        .sort(),
    ).toEqual([...DATA_SCHEMAS, ...flowSchemaSpecs().map((s) => s.key)].sort());
  });

  it.each(DATA_SCHEMAS)('%s: the precompiled validator gives every data file, whole and broken, the same verdict and errors as the compiled one', (key) => {
    const spec = registeredSchemas().find((s) => s.key === key)!;
    fs.writeFileSync(precompiledFile(key, dir), standaloneSource(spec));
    const precompiled = schemaValidator(spec, dir);
    expect(precompiled.precompiled).toBe(true);
    const compiled = compileSchema(spec);
    const values = dataFiles().flatMap(broken);
    expect(values.length).toBeGreaterThan(200);
    let valid = 0;
    for (const value of values) {
      const expected = verdict(compiled, value);
      expect(verdict(precompiled, value)).toEqual(expected);
      if (expected[0]) valid++;
    }
    // The schema's own file passes (a validator that refuses everything would agree with itself too).
    expect(valid).toBeGreaterThan(0);
  });

  it('uses a precompiled file with refs and a discriminator, and checks the same', () => {
    const spec = tinySpec('tiny', 5);
    fs.writeFileSync(precompiledFile('tiny', dir), standaloneSource(spec));
    const precompiled = schemaValidator(spec, dir);
    expect(precompiled.precompiled).toBe(true);
    const compiled = compileSchema(spec);
    for (const value of [{ kind: 'a', n: 3 }, { kind: 'a', n: 9 }, { kind: 'b', when: 'xy' }, { kind: 'b', when: 'x' }, { kind: 'c' }, {}, null]) {
      expect(verdict(precompiled, value)).toEqual(verdict(compiled, value));
    }
    expect(precompiled({ kind: 'a', n: 9 })).toBe(false);
  });

  it('compiles at load when the file was made from another schema, or is missing', () => {
    fs.writeFileSync(precompiledFile('stale', dir), standaloneSource(tinySpec('stale', 100)));
    const stale = schemaValidator(tinySpec('stale', 5), dir);
    expect(stale.precompiled).toBe(false);
    // The schema asked for is the one that checks: the stale file would accept 9.
    expect(stale({ kind: 'a', n: 9 })).toBe(false);
    expect(schemaValidator(tinySpec('missing', 5), dir).precompiled).toBe(false);
  });

  it('refuses one key for two different schemas', () => {
    schemaValidator(tinySpec('twice', 5), dir);
    expect(() => schemaValidator(tinySpec('twice', 5), dir)).not.toThrow();
    expect(() => schemaValidator(tinySpec('twice', 6), dir)).toThrow(/names two schemas/);
  });
});
