import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DeclaredSchema, generatedValidatorModule, loadValidator, schemaFingerprint } from './schema-validator';

const condition = { $id: 'test/condition', type: 'object', required: ['fact'], properties: { fact: { type: 'string' } } };
const declaration = (maxItems: number): DeclaredSchema => ({
  schema: { type: 'object', required: ['rules'], properties: { rules: { type: 'array', maxItems, items: { $ref: 'test/condition' } } } },
  options: { allErrors: true, strict: false },
  refs: [condition],
});

describe('schemaValidator: generated code when it was made from the same schema, compiled otherwise', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'laihua-validators-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the generated module, which answers and reports errors as the compiled validator does', () => {
    writeFileSync(path.join(dir, 'rules.js'), generatedValidatorModule(declaration(2)));
    const generated = loadValidator(dir, 'rules', declaration(2));
    const compiled = loadValidator(path.join(dir, 'none'), 'rules', declaration(2));
    expect(generated).not.toBe(compiled);
    expect(generated.toString()).not.toEqual(compiled.toString());
    for (const input of [{ rules: [{ fact: 'a' }] }, { rules: [{ fact: 1 }, {}] }, { rules: [{ fact: 'a' }, { fact: 'b' }, { fact: 'c' }] }, {}]) {
      expect([generated(input), generated.errors ?? null]).toEqual([compiled(input), compiled.errors ?? null]);
    }
    expect(generated({ rules: [{ fact: 1 }, {}] })).toBe(false);
    expect(generated.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([
      '/rules/0/fact must be string',
      "/rules/1 must have required property 'fact'",
    ]);
  });

  it('compiles instead when the generated module came from another schema (a build older than the schema)', () => {
    writeFileSync(path.join(dir, 'rules.js'), generatedValidatorModule(declaration(2)));
    expect(schemaFingerprint(declaration(3))).not.toBe(schemaFingerprint(declaration(2)));
    const validate = loadValidator(dir, 'rules', declaration(3));
    // Three rules pass the schema of now (maxItems 3), not the stale generated one (maxItems 2).
    expect(validate({ rules: [{ fact: 'a' }, { fact: 'b' }, { fact: 'c' }] })).toBe(true);
  });
});
