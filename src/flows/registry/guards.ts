import { evaluate } from '../conditions';
import type { ConditionExpr, FlowDefinition } from '../flow-definition';
import { ruleResults } from './rules';

export type GuardImplementation = (facts: Record<string, unknown>, params: Record<string, unknown>, flow: FlowDefinition) => boolean;

/** Named guards a flow file may reference. Each is generic: the business lives in the params. */
export const guardImplementations: Record<string, GuardImplementation> = {
  /** `{name, expect}`: the flow's named rule passes (expect true) or fails (expect false). */
  rule: (facts, params, flow) => {
    const passed = ruleResults(flow, String(params.name), facts).every((r) => r.passed);
    return passed === (params.expect ?? true);
  },
  /** A condition (or all/any/none group) over the call context and the event. */
  matches: (facts, params) => evaluate(params as ConditionExpr, facts),
};
