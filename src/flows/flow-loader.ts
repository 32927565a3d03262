import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { FlowDefinition } from './flow-definition';
import { buildMachine } from './flow-machine';
import { type FlowProblem, validateFlow } from './flow-validator';
import { checkPromises } from './promises';
import type { FlowRegistry } from './registry/registry';

export interface CompiledFlow {
  definition: FlowDefinition;
  machine: AnyStateMachine;
  /** sha256 of the canonical definition: a version's content may never change once used. */
  hash: string;
  source: string;
  /** The region whose variant this is (null/absent: the base definition). */
  variant?: string | null;
}

export class FlowLoadError extends Error {
  constructor(
    readonly source: string,
    readonly problems: FlowProblem[],
  ) {
    super(`Flow ${source} is invalid:\n${problems.map((p) => `  ${source}: ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'FlowLoadError';
  }
}

export function hashDefinition(definition: FlowDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

/** Validates then compiles one definition; `source` names it in errors (a file path or a DB row). */
export function compileFlow(raw: unknown, registry: FlowRegistry, source: string): CompiledFlow {
  const problems = validateFlow(raw, registry);
  if (problems.length) throw new FlowLoadError(source, problems);
  const definition = raw as FlowDefinition;
  let machine: AnyStateMachine;
  try {
    machine = buildMachine(definition, registry);
  } catch (e) {
    throw new FlowLoadError(source, [{ path: '$.machine', message: (e as Error).message }]);
  }
  return { definition, machine, hash: hashDefinition(definition), source };
}

export function loadFlowFile(file: string, registry: FlowRegistry): CompiledFlow {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FlowLoadError(file, [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return compileFlow(raw, registry, file);
}

/** Loads every `*.json` in the directory; all problems of all files are reported together. */
export function loadFlowDirectory(dir: string, registry: FlowRegistry): CompiledFlow[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const flows: CompiledFlow[] = [];
  const errors: FlowLoadError[] = [];
  for (const file of files) {
    try {
      const flow = loadFlowFile(path.join(dir, file), registry);
      // A shipped file may not announce an act its path never did (stored old versions are not held to it: they replay).
      const unkept = checkPromises(flow.definition);
      if (unkept.length) throw new FlowLoadError(flow.source, unkept.map((f) => ({ path: f.path, message: f.message })));
      flows.push(flow);
    } catch (e) {
      if (e instanceof FlowLoadError) errors.push(e);
      else throw e;
    }
  }
  const seen = new Map<string, string>();
  for (const flow of flows) {
    const key = `${flow.definition.id}@${flow.definition.version}`;
    if (seen.has(key)) errors.push(new FlowLoadError(flow.source, [{ path: '$.id', message: `${key} is also defined in ${seen.get(key)}` }]));
    seen.set(key, flow.source);
  }
  if (errors.length) {
    const all = new FlowLoadError(dir, errors.flatMap((e) => e.problems));
    all.message = errors.map((e) => e.message).join('\n');
    throw all;
  }
  return flows;
}
