import type { ValidateFunction } from 'ajv';
import { compileSchema, schemaValidator, type SchemaSpec } from '../common/schema-validator';
import { conditionSchema, flowSchema } from './flow.schema';
import { actionParams, guardParams, operationInputs } from './registry/params';

/** The validators a flow file is checked with: the whole file, a condition, and each named implementation's params. */
export interface FlowValidators {
  flow: ValidateFunction;
  condition: ValidateFunction;
  params: Record<'guards' | 'actions' | 'operations', Record<string, ValidateFunction>>;
}

const AJV_OPTIONS = { allErrors: true, strict: false } as const;
const PARAM_KINDS = { guards: guardParams, actions: actionParams, operations: operationInputs } as const;
const FLOW_KEY = 'flow';
const CONDITION_KEY = 'flow-condition';
/** A key per params schema: `flow-params-guards-rule`, … (params marked 'condition' use the condition's validator). */
const paramKey = (kind: string, name: string) => `flow-params-${kind}-${name}`;

/** Every schema a flow file is checked with, each its own validator (common/schema-validator.ts). */
export function flowSchemaSpecs(): SchemaSpec[] {
  const specs: SchemaSpec[] = [
    { key: FLOW_KEY, schema: flowSchema, options: AJV_OPTIONS },
    { key: CONDITION_KEY, schema: conditionSchema, options: AJV_OPTIONS },
  ];
  for (const [kind, record] of Object.entries(PARAM_KINDS)) {
    for (const [name, schema] of Object.entries(record)) if (schema !== 'condition') specs.push({ key: paramKey(kind, name), schema, options: AJV_OPTIONS });
  }
  return specs;
}

function assemble(byKey: (key: string) => ValidateFunction): FlowValidators {
  const condition = byKey(CONDITION_KEY);
  const params = Object.fromEntries(
    Object.entries(PARAM_KINDS).map(([kind, record]) => [
      kind,
      Object.fromEntries(Object.entries(record).map(([name, schema]) => [name, schema === 'condition' ? condition : byKey(paramKey(kind, name))])),
    ]),
  ) as FlowValidators['params'];
  return { flow: byKey(FLOW_KEY), condition, params };
}

/** Compiles every schema now (~200–800 ms of a boot, most of it the flow schema). */
export function compileValidators(): FlowValidators {
  const compiled = new Map(flowSchemaSpecs().map((spec) => [spec.key, compileSchema(spec)]));
  return assemble((key) => compiled.get(key)!);
}

/**
 * The validators as the build wrote them (no compiling at boot), each one that the build did not
 * make from this very schema compiled now; `precompiled` when all of them came from the build.
 * `dir`: where the build's code is (the server's own by default).
 */
export function loadValidators(dir?: string): FlowValidators & { precompiled: boolean } {
  const loaded = new Map(flowSchemaSpecs().map((spec) => [spec.key, schemaValidator(spec, dir)]));
  return { ...assemble((key) => loaded.get(key)!), precompiled: [...loaded.values()].every((v) => v.precompiled) };
}
