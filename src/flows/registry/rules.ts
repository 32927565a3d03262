import { evaluate } from '../conditions';
import type { FlowDefinition, RuleCheck } from '../flow-definition';

export interface RuleCheckResult {
  check: RuleCheck;
  passed: boolean;
}

export function ruleResults(flow: FlowDefinition, name: string, facts: unknown): RuleCheckResult[] {
  const rule = flow.rules && Object.hasOwn(flow.rules, name) ? flow.rules[name] : undefined;
  if (!rule) throw new Error(`Flow ${flow.id} has no rule '${name}'`);
  return rule.all.map((check) => ({ check, passed: evaluate(check, facts) }));
}
