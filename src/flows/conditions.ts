import type { Condition, ConditionExpr, ConditionGroup } from './flow-definition';

/** Reads a dotted path through own data properties only: a path never reaches a prototype (`constructor`, `__proto__`). */
export function factAt(facts: unknown, path: string): unknown {
  let value: unknown = facts;
  for (const key of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
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
