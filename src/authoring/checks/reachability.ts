import type { FindingReason } from '../../../protocol/authoring';
import { type Finding, statePath } from './finding';
import type { StateGraph } from './state-graph';

const finding = (id: string, code: FindingReason['code'], message: string): Finding => ({
  check: 'reachability',
  severity: 'error',
  path: statePath(id),
  message,
  reason: { code, step: id },
});

/**
 * Every state can be reached from the initial state, has a way out unless it is an ending, and can
 * still reach some ending. On the guard-free graph (state-graph.ts), so a state reported here is
 * unreachable or stuck whatever the guards say.
 */
export function checkReachability(graph: StateGraph): Finding[] {
  const findings: Finding[] = [];
  const fromInitial = closure([graph.initial], (id) => graph.states.get(id)?.next ?? []);

  const previous = new Map<string, string[]>();
  for (const s of graph.states.values()) for (const n of s.next) previous.set(n, [...(previous.get(n) ?? []), s.id]);
  const finals = [...graph.states.values()].filter((s) => s.final).map((s) => s.id);
  const toEnding = closure(finals, (id) => previous.get(id) ?? []);

  for (const s of graph.states.values()) {
    if (!fromInitial.has(s.id)) findings.push(finding(s.id, 'unreachable', `'${s.id}' is unreachable from the initial step '${graph.initial}'`));
    if (s.final) continue;
    // A state with no way out at all gets that one finding; "no ending" would only repeat it.
    if (!s.hasWayOut) findings.push(finding(s.id, 'no-way-out', `'${s.id}' is not an ending but has no way out (no on, invoke, after or always)`));
    else if (!toEnding.has(s.id))
      findings.push(finding(s.id, 'no-ending', `no ending can be reached from here: every way on from '${s.id}' leads only to steps that never end the call`));
  }
  return findings;
}

/** The starting ids and everything reachable from them along `step`. */
function closure(start: string[], step: (id: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length)
    for (const n of step(queue.shift()!))
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
  return seen;
}
