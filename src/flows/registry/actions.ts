import { factAt } from '../conditions';

type Context = Record<string, unknown>;
export type ContextUpdate = (context: Context, event: Record<string, unknown>, params: Record<string, unknown>) => Context;

/**
 * Named context updates a flow file may reference. They are pure (they become XState `assign`s),
 * so replaying the logged events through the machine recomputes the same context.
 */
export const actionImplementations: Record<string, ContextUpdate> = {
  /** `{key, input}`: store one of the agent's validated inputs. */
  setFromInput: (_c, event, p) => ({ [String(p.key)]: factAt(event, `input.${String(p.input)}`) ?? null }),
  /** `{key, path}`: store part of the event, e.g. a back-end reply's `output` or `error`. */
  setFromEvent: (_c, event, p) => ({ [String(p.key)]: factAt(event, String(p.path)) ?? null }),
  /** `{key, value}`: store a constant. */
  set: (_c, _e, p) => ({ [String(p.key)]: p.value ?? null }),
  /** `{key, by?}`: add to a counter. */
  increment: (context, _e, p) => ({ [String(p.key)]: Number(context[String(p.key)] ?? 0) + Number(p.by ?? 1) }),
};
