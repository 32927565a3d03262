import type { ContextUpdate } from './actions';
import { actionImplementations } from './actions';
import type { GuardImplementation } from './guards';
import { guardImplementations } from './guards';
import type { Operation } from './operations';
import { operationImplementations } from './operations';
import { registered } from './params';

/** The one registry of named implementations that flow files may reference. */
export interface FlowRegistry {
  guards: Record<string, GuardImplementation>;
  actions: Record<string, ContextUpdate>;
  operations: Record<string, Operation>;
  delays: Record<string, number>;
}

export function createRegistry(delays: Record<string, number>): FlowRegistry {
  return { guards: guardImplementations, actions: actionImplementations, operations: operationImplementations, delays };
}

/** The back-end step a validated flow names; a name the registry lacks fails like a back-end error, never reaching a prototype. */
export function operationNamed(registry: FlowRegistry, src: string): Operation {
  return registered(registry.operations, src) ?? (() => Promise.reject(new Error(`no back-end step '${src}' is registered`)));
}
