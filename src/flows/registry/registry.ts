import type { ContextUpdate } from './actions';
import { actionImplementations } from './actions';
import type { GuardImplementation } from './guards';
import { guardImplementations } from './guards';
import type { Operation } from './operations';
import { operationImplementations } from './operations';

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
