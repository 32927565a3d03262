import type { Condition, ConditionExpr, ConditionGroup } from './flow-definition';

/** Reads a dotted path through own data properties only: a path never reaches a prototype (`constructor`, `__proto__`). */
export function factAt(facts: unknown, path: string): unknown {
  let value: unknown = facts;
  for (const key of keysOf(path)) {
    if (value === null || value === undefined || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Paths come from flow files (conditions, placeholders, parameters), so there are few of them and
 * each is split once; the bound only keeps a flood of authored drafts from growing the cache.
 */
const splitPaths = new Map<string, readonly string[]>();
const MAX_SPLIT_PATHS = 10_000;

function keysOf(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    if (splitPaths.size >= MAX_SPLIT_PATHS) splitPaths.clear();
    splitPaths.set(path, (keys = path.split('.')));
  }
  return keys;
}

function testCondition(condition: Condition, facts: unknown): boolean {
  const value = factAt(facts, condition.fact);
  if ('eq' in condition && value !== condition.eq) return false;
  if ('ne' in condition && value === condition.ne) return false;
  if (condition.in !== undefined && !condition.in.includes(value)) return false;
  if (condition.contains !== undefined && !(Array.isArray(value) && value.includes(condition.contains))) return false;
  const n = typeof value === 'number' ? value : NaN;
  if (condition.gt !== undefined && !(n > condition.gt)) return false;
  if (condition.gte !== undefined && !(n >= condition.gte)) return false;
  if (condition.lt !== undefined && !(n < condition.lt)) return false;
  if (condition.lte !== undefined && !(n <= condition.lte)) return false;
  return true;
}

/** Evaluates the flow files' condition language against a facts object (call context plus, in guards, the event). */
export function evaluate(expr: ConditionExpr, facts: unknown): boolean {
  if ('fact' in expr && !testCondition(expr, facts)) return false;
  const { all, any, none } = expr as ConditionGroup;
  if (all && !all.every((e) => evaluate(e, facts))) return false;
  if (any && !any.some((e) => evaluate(e, facts))) return false;
  if (none && none.some((e) => evaluate(e, facts))) return false;
  return true;
}
