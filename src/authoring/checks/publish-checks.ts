import { validateFlow } from '../../flows/flow-validator';
import type { FlowRegistry } from '../../flows/registry/registry';
import type { Finding } from './finding';
import { policyApplies, type PolicySet } from './policies';
import { checkPolicy } from './policy-checks';
import { checkPromises } from '../../flows/promises';
import { checkReachability } from './reachability';
import { buildStateGraph } from './state-graph';

export type { Finding } from './finding';

/**
 * Everything that stops a supervisor's draft flow version from being submitted for publishing:
 * what the loader refuses, states that cannot be reached or cannot end, the authoring policies, and
 * scripts that tell the caller something was done on a path where it never was (promises.ts).
 * The graph checks also run on a draft the loader refuses, as long as its machine can be walked, so
 * the supervisor sees all problems at once.
 */
export function checkDraft(raw: unknown, registry: FlowRegistry, policies: PolicySet): Finding[] {
  const findings: Finding[] = validateFlow(raw, registry).map((p) => ({
    check: 'loader',
    severity: 'error',
    path: p.path,
    message: p.message,
  }));
  const graph = buildStateGraph(raw);
  if (!graph) return findings;
  findings.push(...checkReachability(graph));
  const flow = raw as { id?: unknown; kind?: unknown };
  for (const policy of policies.policies) if (policyApplies(policy, flow)) findings.push(...checkPolicy(graph, policy));
  findings.push(...checkPromises(raw));
  return findings;
}
