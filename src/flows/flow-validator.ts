import type { ErrorObject } from 'ajv';
import type {
  ActionJson, FlowDefinition, GuardJson, InvokeJson, StateNodeJson, TransitionJson,
} from './flow-definition';
import { toArray, transitionsOf } from './flow-json';
import { loadValidators } from './flow-validators';
import { registered } from './registry/params';
import type { FlowRegistry } from './registry/registry';

export interface FlowProblem {
  /** JSON path into the flow file, e.g. `$.machine.states.warn.on.ACKNOWLEDGED.target`. */
  path: string;
  message: string;
}

// Precompiled by the build when it can be (flow-validators.ts, common/schema-validator.ts): compiling the flow schema is most of ajv's share of a boot.
const { flow: validateSchema, condition: validateCondition, params: paramValidators } = loadValidators();

/** The params of a named implementation, checked against what that implementation takes. */
function paramProblems(kind: keyof typeof paramValidators, name: string, params: unknown, at: string): FlowProblem[] {
  const validate = registered(paramValidators[kind], name);
  if (!validate) return [{ path: at, message: `'${name}' declares no params schema` }];
  if (validate(params ?? {})) return [];
  return schemaProblems(validate.errors ?? []).map((p) => ({ path: at + p.path.slice(1), message: p.message }));
}

const jsonPath = (pointer: string) =>
  '$' + pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p}']`)).join('');

/** ajv reports every failed `oneOf` branch; keep the deepest, most specific ones. */
function schemaProblems(errors: ErrorObject[]): FlowProblem[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf');
  const chosen = specific.length ? specific : errors;
  const seen = new Set<string>();
  const problems: FlowProblem[] = [];
  for (const e of chosen) {
    const where = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath;
    const message = e.keyword === 'additionalProperties' ? 'unknown property' : e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
    const key = `${where}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path: jsonPath(where), message });
    }
  }
  return problems;
}

const nameOf = (ref: GuardJson | ActionJson) => (typeof ref === 'string' ? ref : ref.type);

/** Everything XState would accept silently or fail on late, checked up front against the registry. */
export function validateFlow(raw: unknown, registry: FlowRegistry): FlowProblem[] {
  if (!validateSchema(raw)) return schemaProblems(validateSchema.errors ?? []);
  const flow = raw as FlowDefinition;
  const problems: FlowProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const states = flow.machine.states;
  const stateIds = new Set(Object.keys(states));

  if (!stateIds.has(flow.machine.initial)) report('$.machine.initial', `unknown state '${flow.machine.initial}'`);

  const checkTransitions = (base: string, t: TransitionJson | undefined) => {
    const list = transitionsOf(t);
    const single = !Array.isArray(t);
    list.forEach((tr, i) => {
      const at = single ? base : `${base}[${i}]`;
      if (tr.target !== undefined && !stateIds.has(tr.target)) report(`${at}.target`, `unknown target state '${tr.target}'`);
      if (tr.guard !== undefined) {
        const name = nameOf(tr.guard);
        const params = typeof tr.guard === 'object' ? tr.guard.params : undefined;
        if (!registered(registry.guards, name)) report(`${at}.guard`, `unknown guard '${name}'`);
        else if (name === 'matches' && !validateCondition(params ?? {})) {
          report(`${at}.guard.params`, 'must be a condition: {fact, eq|ne|in|contains|gt|gte|lt|lte} or {all|any|none: [...]}');
        } else {
          problems.push(...paramProblems('guards', name, params, `${at}.guard.params`));
          if (name === 'rule' && typeof params?.name === 'string' && !Object.hasOwn(flow.rules ?? {}, params.name)) report(`${at}.guard.params.name`, `unknown rule '${params.name}'`);
        }
      }
      checkActions(`${at}.actions`, tr.actions);
    });
  };
  const checkActions = (base: string, actions: ActionJson | ActionJson[] | undefined) => {
    const list = toArray(actions);
    list.forEach((a, i) => {
      const name = nameOf(a);
      const at = Array.isArray(actions) ? `${base}[${i}]` : base;
      if (!registered(registry.actions, name)) report(at, `unknown action '${name}'`);
      else problems.push(...paramProblems('actions', name, typeof a === 'object' ? a.params : undefined, `${at}.params`));
    });
  };

  for (const [id, node] of Object.entries(states)) {
    const at = `$.machine.states['${id}']`;
    checkState(flow, id, node, at, report);
    for (const [event, t] of Object.entries(node.on ?? {})) checkTransitions(`${at}.on.${event}`, t);
    checkTransitions(`${at}.always`, node.always);
    for (const [delay, t] of Object.entries(node.after ?? {})) {
      if (registered(registry.delays, delay) === undefined) report(`${at}.after['${delay}']`, `unknown delay '${delay}' (delays are named, not numbers)`);
      checkTransitions(`${at}.after['${delay}']`, t);
    }
    toArray<InvokeJson>(node.invoke).forEach((inv, i) => {
      const invAt = Array.isArray(node.invoke) ? `${at}.invoke[${i}]` : `${at}.invoke`;
      if (!registered(registry.operations, inv.src)) report(`${invAt}.src`, `unknown actor '${inv.src}'`);
      else problems.push(...paramProblems('operations', inv.src, inv.input, `${invAt}.input`));
      checkTransitions(`${invAt}.onDone`, inv.onDone);
      checkTransitions(`${invAt}.onError`, inv.onError);
    });
    checkActions(`${at}.entry`, node.entry);
    checkActions(`${at}.exit`, node.exit);
  }
  checkVariants(flow, report);
  return problems;
}

/** A regional variant is checked like the base: it may only override steps that exist, offers only where the step has offers. */
function checkVariants(flow: FlowDefinition, report: (path: string, message: string) => void) {
  for (const [region, variant] of Object.entries(flow.variants ?? {})) {
    for (const [stepId, overrides] of Object.entries(variant.steps)) {
      const at = `$.variants['${region}'].steps['${stepId}']`;
      const node = Object.hasOwn(flow.machine.states, stepId) ? flow.machine.states[stepId] : undefined;
      if (!node) {
        report(at, `unknown step '${stepId}'`);
        continue;
      }
      if (overrides.offers && !node.meta.offers && !node.meta.offersFrom) report(`${at}.offers`, `step '${stepId}' has no offers to override (not an M point)`);
      duplicates((overrides.prompts ?? []).map((p) => p.id)).forEach((d) => report(`${at}.prompts`, `duplicate prompt id '${d}'`));
      duplicates((overrides.offers ?? []).map((o) => o.id)).forEach((d) => report(`${at}.offers`, `duplicate offer id '${d}'`));
    }
  }
}

function checkState(
  flow: FlowDefinition,
  id: string,
  node: StateNodeJson,
  at: string,
  report: (path: string, message: string) => void,
) {
  const meta = node.meta;
  const options = meta.options ?? [];
  const inputNames = new Set((meta.inputs ?? []).map((i) => i.name));
  for (const rule of meta.rules ?? []) if (!Object.hasOwn(flow.rules ?? {}, rule)) report(`${at}.meta.rules`, `unknown rule '${rule}'`);
  (meta.inputs ?? []).forEach((input, i) => {
    if (input.type === 'enum' && !input.values?.length) report(`${at}.meta.inputs[${i}].values`, 'an enum input needs values');
    if (input.type === 'offer' && !meta.offers?.length && !meta.offersFrom) report(`${at}.meta.inputs[${i}].type`, 'an offer input needs offers on the step');
  });
  duplicates(options.map((o) => o.id)).forEach((d) => report(`${at}.meta.options`, `duplicate option id '${d}'`));
  duplicates((meta.prompts ?? []).map((p) => p.id)).forEach((d) => report(`${at}.meta.prompts`, `duplicate prompt id '${d}'`));
  duplicates((meta.offers ?? []).map((o) => o.id)).forEach((d) => report(`${at}.meta.offers`, `duplicate offer id '${d}'`));

  if (node.type === 'final') {
    if (options.length) report(`${at}.meta.options`, 'a final state offers no options');
    if (node.on || node.invoke || node.after || node.always) report(at, 'a final state has no way on');
    if (!meta.outcome) report(`${at}.meta.outcome`, 'a final state names its outcome');
    return;
  }
  if (meta.outcome) report(`${at}.meta.outcome`, 'only a final state has an outcome');
  const waysOn = options.length + toArray(node.invoke).length + Object.keys(node.after ?? {}).length + (node.always ? 1 : 0);
  if (waysOn === 0) report(at, `state '${id}' has no options and no way on (no invoke, after or always)`);

  options.forEach((option, i) => {
    if (!node.on?.[option.event]) report(`${at}.meta.options[${i}].event`, `no transition handles event '${option.event}'`);
    (option.inputs ?? []).forEach((name, j) => {
      if (!inputNames.has(name)) report(`${at}.meta.options[${i}].inputs[${j}]`, `unknown input '${name}'`);
    });
    if (option.requiresOffers && !meta.offers?.length && !meta.offersFrom) report(`${at}.meta.options[${i}].requiresOffers`, 'the step has no offers');
  });
  const optionEvents = new Set(options.map((o) => o.event));
  for (const event of Object.keys(node.on ?? {})) {
    if (!optionEvents.has(event)) report(`${at}.on.${event}`, `no option sends event '${event}'`);
  }
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
