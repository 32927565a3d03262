/**
 * A flow definition is data: every string that reaches code is a registry name, a dotted fact path
 * or a context key, and is checked as such. Nothing in a definition can name an implementation the
 * registry lacks (including what an object inherits: `constructor`, `toString`, `__proto__`), or
 * smuggle in something that looks like code. Display texts may say anything; they are only shown.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate, factAt } from './conditions';
import { compileFlow, FlowLoadError } from './flow-loader';
import { fillPlaceholders } from './placeholders';
import { actionParams, guardParams, operationInputs } from './registry/params';
import { createRegistry } from './registry/registry';

const registry = createRegistry({ backendTimeout: 10_000 });
const SUSPEND = path.resolve(__dirname, '../../flows/suspend-service.json');
const suspend = () => JSON.parse(fs.readFileSync(SUSPEND, 'utf8'));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

function problemsOf(mutate: (flow: any) => void): string[] {
  const flow = suspend();
  mutate(flow);
  try {
    compileFlow(flow, registry, 'hostile.json');
  } catch (e) {
    expect(e).toBeInstanceOf(FlowLoadError);
    return (e as FlowLoadError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error(`accepted: ${JSON.stringify(flow.machine.states.warn.on)}`);
}

const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__'];
const SCRIPT_LIKE = [
  'javascript:alert(1)', 'function(){return true}', '() => true', 'x => x', '${process.exit(1)}', "eval('1')", '<script>alert(1)</script>',
  'context.verifyFailures > 2', "require('child_process')", 'new Function("return 1")', 'this.constructor.constructor("return process")()', '{{customer.name}}',
];

describe('a flow definition never names code the registry lacks', () => {
  it.each(INHERITED)('refuses %s as a guard, an action, a back-end step and a delay', (name) => {
    const where = (f: any) => f.machine.states.warn;
    expect(problemsOf((f) => (where(f).on.ACKNOWLEDGED = { target: 'upsell', guard: name })).join('\n')).toMatch(/\.guard/);
    expect(problemsOf((f) => (where(f).on.ACKNOWLEDGED = { target: 'upsell', actions: [name] })).join('\n')).toMatch(/\.actions/);
    expect(problemsOf((f) => (f.machine.states.executing.invoke.src = name)).join('\n')).toMatch(/invoke\.src/);
    expect(problemsOf((f) => (f.machine.states.executing.after = { [name]: 'execute-failed' })).join('\n')).toMatch(/after/);
  });

  it('refuses an inherited name as a rule (in a guard and on a step) and as a variant step, without crashing', () => {
    expect(problemsOf((f) => (f.machine.states['check-eligibility'].on.CONTINUE.guard = { type: 'rule', params: { name: 'constructor' } }))).toContainEqual(
      "$.machine.states['check-eligibility'].on.CONTINUE.guard.params.name: unknown rule 'constructor'",
    );
    expect(problemsOf((f) => (f.machine.states.warn.meta.rules = ['constructor']))).toContainEqual("$.machine.states['warn'].meta.rules: unknown rule 'constructor'");
    expect(problemsOf((f) => (f.variants = { 广东: { steps: { constructor: { script: { 'zh-CN': 'x', en: 'x' } } } } }))).toContainEqual(
      "$.variants['广东'].steps['constructor']: unknown step 'constructor'",
    );
  });

  it.each(SCRIPT_LIKE)('refuses %j wherever the engine would interpret it', (text) => {
    const warn = (f: any) => f.machine.states.warn;
    const cases: ((f: any) => void)[] = [
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', guard: text }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', guard: { type: text } }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', actions: [text] }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', guard: { type: 'matches', params: { fact: text, eq: 1 } } }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: 'setFromEvent', params: { key: 'x', path: text } }] }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: 'set', params: { key: text, value: 1 } }] }),
      (f) => (warn(f).on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: 'setFromInput', params: { key: 'x', input: text } }] }),
      (f) => (f.machine.states.executing.invoke.src = text),
      (f) => (f.machine.states.executing.invoke.input = { template: text }),
      (f) => (f.machine.states.executing.after = { [text]: 'execute-failed' }),
      (f) => (f.machine.states.remind.meta.prompts = [{ id: 'p', text: { 'zh-CN': 'x', en: 'x' }, when: { fact: text, eq: true } }]),
      (f) => (f.rules[Object.keys(f.rules)[0]].all[0].fact = text),
      (f) => (f.machine.states.completed.meta.report = [text]),
      (f) => (f.machine.states.executing.invoke.id = text),
    ];
    for (const mutate of cases) expect(problemsOf(mutate).length).toBeGreaterThan(0);
  });

  it('refuses paths and keys that walk into a prototype', () => {
    for (const p of ['__proto__', 'customer.__proto__.polluted', 'customer.constructor.name', 'constructor.prototype']) {
      expect(problemsOf((f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: { type: 'matches', params: { fact: p, eq: 1 } } })).length).toBeGreaterThan(0);
    }
    expect(problemsOf((f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: 'set', params: { key: 'constructor', value: 1 } }] })).length).toBeGreaterThan(0);
  });

  it('refuses params an implementation does not take, and back-end inputs outside their lists', () => {
    expect(problemsOf((f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: 'increment', params: { key: 'n', code: 'x' } }] }))).toContainEqual(
      "$.machine.states['warn'].on.ACKNOWLEDGED.actions[0].params.code: unknown property",
    );
    expect(problemsOf((f) => (f.machine.states.executing.invoke = { ...f.machine.states.executing.invoke, src: 'queryAccount', input: { what: 'everything' } })).join('\n')).toMatch(/invoke\.input\.what/);
  });

  it('has a params schema for every registered implementation (a new one cannot skip it)', () => {
    expect(Object.keys(guardParams).sort()).toEqual(Object.keys(registry.guards).sort());
    expect(Object.keys(actionParams).sort()).toEqual(Object.keys(registry.actions).sort());
    expect(Object.keys(operationInputs).sort()).toEqual(Object.keys(registry.operations).sort());
  });

  it('refuses any name the registry does not hold (property-based)', () => {
    const known = new Set([...Object.keys(registry.guards), ...Object.keys(registry.actions), ...Object.keys(registry.operations)]);
    const name = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...INHERITED, ...SCRIPT_LIKE)).filter((n) => !known.has(n));
    fc.assert(
      fc.property(name, fc.constantFrom('guard', 'action', 'src'), (n, where) => {
        const problems = problemsOf((f) => {
          if (where === 'guard') f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: n };
          else if (where === 'action') f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: [{ type: n }] };
          else f.machine.states.executing.invoke.src = n;
        });
        return problems.length > 0;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps display texts as text: script-like words in a script are data, and placeholders read own data only', () => {
    const flow = suspend();
    flow.machine.states.warn.meta.script = { 'zh-CN': '<script>alert(1)</script> ${process.exit()}', en: 'javascript:alert(1) {{constructor.name}}' };
    expect(() => compileFlow(flow, registry, 'texts.json')).not.toThrow();
    expect(fillPlaceholders('{{constructor.name}}|{{customer.__proto__}}|{{customer.toString}}|{{customer.name}}', { customer: { name: 'Li' } }, 'en')).toBe('|||Li');
    // A name the back end gives in both languages is filled in the view's; a plain one (older replies) as it is.
    const billing = { latest: { items: [{ name: { 'zh-CN': '套餐月租', en: 'Plan fee' } }, { name: '套餐月租 Plan fee' }] } };
    const items = '{{billing.latest.items.0.name}}|{{billing.latest.items.1.name}}';
    expect([fillPlaceholders(items, { billing }, 'zh-CN'), fillPlaceholders(items, { billing }, 'en')]).toEqual(['套餐月租|套餐月租 Plan fee', 'Plan fee|套餐月租 Plan fee']);
    expect(factAt({ a: [1, 2] }, 'a.1')).toBe(2);
    expect(factAt({}, 'constructor')).toBeUndefined();
    expect(evaluate({ fact: 'constructor.name', eq: 'Object' }, {})).toBe(false);
  });
});
