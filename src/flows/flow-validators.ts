import Ajv, { type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { conditionSchema, flowSchema } from './flow.schema';
import { actionParams, guardParams, operationInputs } from './registry/params';

/** The validators a flow file is checked with: the whole file, a condition, and each named implementation's params. */
export interface FlowValidators {
  flow: ValidateFunction;
  condition: ValidateFunction;
  params: Record<'guards' | 'actions' | 'operations', Record<string, ValidateFunction>>;
}

/** Where the build writes the validators as code (`npm run build`: src/precompile-validators.ts); beside this file in dist/. */
export const PRECOMPILED_FILE = path.join(__dirname, 'flow-validators.precompiled.js');

const AJV_OPTIONS = { allErrors: true, strict: false } as const;
const PARAM_KINDS = { guards: guardParams, actions: actionParams, operations: operationInputs } as const;
const FLOW_KEY = 'flow';
const CONDITION_KEY = 'condition';
/** An export name per schema: the two whole schemas, then `guards__rule`, `actions__set`, … (params marked 'condition' use the condition's). */
const paramKey = (kind: string, name: string) => `${kind}__${name}`;

/** Every schema by its export name, in a fixed order. */
function schemas(): [string, object][] {
  const entries: [string, object][] = [
    [FLOW_KEY, flowSchema],
    [CONDITION_KEY, conditionSchema],
  ];
  for (const [kind, record] of Object.entries(PARAM_KINDS)) {
    for (const [name, schema] of Object.entries(record)) if (schema !== 'condition') entries.push([paramKey(kind, name), schema]);
  }
  return entries;
}

/** Names the schemas and ajv's version and options: precompiled code made from anything else is not used. */
export function schemasHash(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('ajv/package.json') as { version: string };
  return createHash('sha256').update(JSON.stringify({ ajv: version, options: AJV_OPTIONS, schemas: schemas() })).digest('hex');
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
  const ajv = new Ajv(AJV_OPTIONS);
  const compiled = new Map(schemas().map(([key, schema]) => [key, ajv.compile(schema)]));
  return assemble((key) => compiled.get(key)!);
}

/** The validators as one CommonJS module's source (ajv's standalone code), with the hash of what it was made from. */
export function precompiledSource(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const exported: Record<string, string> = {};
  for (const [key, schema] of schemas()) {
    // A schema with its own $id is registered by it; the others by their export name.
    const id = (schema as { $id?: string }).$id ?? key;
    ajv.addSchema(schema, (schema as { $id?: string }).$id ? undefined : key);
    exported[key] = id;
  }
  return `${standaloneCode(ajv, exported)}\nexports.schemasHash = ${JSON.stringify(schemasHash())};\n`;
}

/**
 * The validators from the code the build wrote when it was made from these very schemas (no compiling
 * at boot), else compiled now. Either way the same checks: the precompiled file is ajv's own output.
 */
export function loadValidators(file = PRECOMPILED_FILE): FlowValidators & { precompiled: boolean } {
  if (existsSync(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file) as Record<string, ValidateFunction> & { schemasHash?: string };
    if (module.schemasHash === schemasHash()) return { ...assemble((key) => module[key]), precompiled: true };
  }
  return { ...compileValidators(), precompiled: false };
}
