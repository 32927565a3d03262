import type { ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FLOWS_DIR } from '../simulation/file-flows';
import { compileValidators, type FlowValidators, loadValidators, precompiledSource } from './flow-validators';

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
    const file = path.join(dir, 'flow-validators.precompiled.js');
    fs.writeFileSync(file, precompiledSource());
    precompiled = loadValidators(file);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are loaded from the file the build wrote when it was made from these schemas', () => {
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

  it('are compiled at load instead when the file was made from other schemas, or is missing', () => {
    const stale = path.join(dir, 'stale.js');
    fs.writeFileSync(stale, precompiledSource().replace(/exports\.schemasHash = "[0-9a-f]+"/, 'exports.schemasHash = "other"'));
    expect(loadValidators(stale).precompiled).toBe(false);
    expect(loadValidators(path.join(dir, 'missing.js')).precompiled).toBe(false);
  });
});
