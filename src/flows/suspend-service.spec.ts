import * as path from 'node:path';
import { toDirectedGraph } from 'xstate/graph';
import { loadFlowFile } from './flow-loader';
import { createRegistry } from './registry/registry';

const flow = loadFlowFile(path.resolve(__dirname, '../../flows/suspend-service.json'), createRegistry({ backendTimeout: 10_000 }));
const states = flow.definition.machine.states;

/** Every transition of the machine, whatever its guard: a policy that holds here holds on every path. */
function edges(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const walk = (node: ReturnType<typeof toDirectedGraph>) => {
    for (const edge of node.edges) {
      const from = edge.source.key;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(edge.target.key);
    }
    node.children.forEach(walk);
  };
  walk(toDirectedGraph(flow.machine));
  return graph;
}

function reachable(from: string, without: string[] = []): Set<string> {
  const graph = edges();
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    for (const next of graph.get(queue.shift()!) ?? []) {
      if (!seen.has(next) && !without.includes(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('suspend-service blueprint', () => {
  const initial = flow.definition.machine.initial;

  it('reaches every state from the start', () => {
    expect([...reachable(initial)].sort()).toEqual(Object.keys(states).sort());
  });

  it('warns (C: effective immediately, plan fee charged) before verification on every path', () => {
    expect(states.warn.meta.marks).toContain('C');
    expect(states.warn.meta.prompts!.map((p) => p.id)).toEqual(expect.arrayContaining(['effective-immediately', 'plan-fee-charged']));
    const withoutWarn = reachable(initial, ['warn']);
    for (const verification of ['verify', 'verify-document', 'checking-password', 'checking-document', 'execute', 'executing']) {
      expect(withoutWarn.has(verification)).toBe(false);
    }
  });

  it('never executes without verification, and never reminds without a successful execution', () => {
    expect(reachable(initial, ['checking-password', 'checking-document']).has('execute')).toBe(false);
    expect(edges().get('execute-failed')).not.toContain('remind');
    expect(reachable(initial, ['executing']).has('remind')).toBe(false);
  });

  it('announces a work order only after the back end raised it (version 2; version 1 announced one it never raised)', () => {
    expect(flow.definition.version).toBe(2);
    expect(edges().get('execute-failed')).toEqual(new Set(['executing', 'raising-ticket']));
    expect(reachable(initial, ['raising-ticket']).has('execution-failed')).toBe(false);
    const raising = states['raising-ticket'];
    expect(raising.invoke).toMatchObject({ src: 'provision', input: { action: 'raise-work-order' }, onDone: { target: 'execution-failed' } });
    expect(states['execution-failed'].meta.script['zh-CN']).toContain('{{workOrder.receiptId}}');
  });

  it('lets a caller who forgot the password reach execution through the document check', () => {
    expect(reachable('verify-document').has('execute')).toBe(true);
    expect(edges().get('verify')).toContain('verify-document');
  });

  it('can end from every state', () => {
    const finals = Object.entries(states).filter(([, s]) => s.type === 'final').map(([id]) => id);
    expect(finals.sort()).toEqual(['completed', 'execution-failed', 'manual-follow-up', 'not-eligible', 'offer-accepted', 'verification-locked']);
    for (const id of Object.keys(states)) {
      const ends = [...reachable(id)].filter((s) => finals.includes(s));
      expect({ id, ends: ends.length > 0 }).toEqual({ id, ends: true });
    }
  });

  it('ships every text in Chinese and English', () => {
    for (const [id, state] of Object.entries(states)) {
      for (const text of [state.meta.title, state.meta.script]) {
        expect({ id, zh: Boolean(text['zh-CN']), en: Boolean(text.en) }).toEqual({ id, zh: true, en: true });
      }
    }
  });
});
