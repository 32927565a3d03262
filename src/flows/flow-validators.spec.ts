import type { ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FLOWS_DIR } from '../simulation/file-flows';
import { precompiledFile, standaloneSource } from '../common/schema-validator';
import { compileValidators, flowSchemaSpecs, type FlowValidators, loadValidators } from './flow-validators';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** A directory outside the tree whose requires of `ajv/dist/runtime/…` resolve (the precompiled code's only imports). */
function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-validators-'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Each catalogue flow, and the same flow broken in the ways an author or an attacker breaks one. */
function samples(): unknown[] {
  const flows = fs
    .readdirSync(FLOWS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(FLOWS_DIR, f), 'utf8')) as Record<string, unknown>);
  expect(flows.length).toBeGreaterThan(20);
  return flows.flatMap((flow) => {
    const machine = flow.machine as { initial: unknown; states: Record<string, Record<string, unknown>> };
    const [first] = Object.keys(machine.states);
    const broken = (change: (copy: Record<string, unknown> & { machine: typeof machine }) => void) => {
      const copy = structuredClone(flow) as Record<string, unknown> & { machine: typeof machine };
      change(copy);
      return copy;
    };
    return [
      flow,
      broken((f) => (f.unknownField = 1)),
      broken((f) => delete (f as Record<string, unknown>).id),
      broken((f) => (f.machine.initial = 42)),
      broken((f) => (f.machine.states[first].type = 'bogus')),
      broken((f) => (f.machine.states[first].on = 'not-transitions')),
      broken((f) => (f.machine.states[first].meta = { lane: 'nowhere', marks: ['Z'] })),
      broken((f) => (f.version = '1')),
      null,
      [],
    ];
  });
}

const verdict = (validate: ValidateFunction, value: unknown) => [validate(value), validate.errors ?? null];

describe('the flow validators, precompiled by the build', () => {
  let compiled: FlowValidators;
  let precompiled: FlowValidators & { precompiled: boolean };
  let dir: string;

  beforeAll(() => {
    dir = scratchDir();
    compiled = compileValidators();
    // What the build writes (src/precompile-validators.ts): each schema's validator as code.
    for (const spec of flowSchemaSpecs()) fs.writeFileSync(precompiledFile(spec.key, dir), standaloneSource(spec));
    precompiled = loadValidators(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are loaded from the files the build wrote when they were made from these schemas', () => {
    expect(precompiled.precompiled).toBe(true);
  });

  it('give every flow, whole or broken, the same verdict and the same errors as the schemas compiled now', () => {
    const all = samples();
    expect(all.length).toBeGreaterThan(200);
    const verdicts = all.map((value) => {
      const expected = verdict(compiled.flow, value);
      expect(verdict(precompiled.flow, value)).toEqual(expected);
      return expected[0];
    });
    // Every whole flow passes; the breaks the schema alone sees (an unknown field, no id, a numeric
    // initial state, null, an array) are refused, with their errors compared above.
    for (let i = 0; i < all.length; i += 10) {
      expect(verdicts[i]).toBe(true);
      for (const broken of [1, 2, 3, 8, 9]) expect(verdicts[i + broken]).toBe(false);
    }
  });

  it('check conditions and every named implementation’s params alike', () => {
    const conditions = [{ fact: 'customer.tier', eq: 'gold' }, { all: [{ fact: 'a', gt: 1 }, { none: [] }] }, { fact: '__proto__.x', eq: 1 }, { fact: 'a' }, { any: 'x' }];
    for (const value of conditions) expect(verdict(precompiled.condition, value)).toEqual(verdict(compiled.condition, value));
    for (const kind of ['guards', 'actions', 'operations'] as const) {
      expect(Object.keys(precompiled.params[kind])).toEqual(Object.keys(compiled.params[kind]));
      for (const [name, validate] of Object.entries(compiled.params[kind])) {
        for (const value of [{}, { bogus: 1 }, { key: 'x', input: 'y', path: 'a.b', name: 'r', value: 1 }, 'text']) {
          expect([kind, name, ...verdict(precompiled.params[kind][name], value)]).toEqual([kind, name, ...verdict(validate, value)]);
        }
      }
    }
  });

  it('are compiled at load instead when a file was made from another schema, or is missing', () => {
    const stale = scratchDir();
    for (const spec of flowSchemaSpecs()) fs.writeFileSync(precompiledFile(spec.key, stale), standaloneSource(spec));
    const flowFile = precompiledFile('flow', stale);
    fs.writeFileSync(flowFile, fs.readFileSync(flowFile, 'utf8').replace(/exports\.schemaHash = "[0-9a-f]+"/, 'exports.schemaHash = "other"'));
    const loaded = loadValidators(stale);
    expect(loaded.precompiled).toBe(false);
    for (const value of samples().slice(0, 10)) expect(verdict(loaded.flow, value)).toEqual(verdict(compiled.flow, value));
    expect(loadValidators(path.join(dir, 'missing')).precompiled).toBe(false);
    fs.rmSync(stale, { recursive: true, force: true });
  });
});
