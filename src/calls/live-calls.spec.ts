import type { LiveCall } from './live-call';
import { LiveCalls } from './live-calls';

const call = (id: string, agentId: string) => ({ id, progress: { record: { agentId } } }) as unknown as LiveCall;

describe('LiveCalls (the calls a node drives, counted per agent)', () => {
  it('counts each agent’s calls as they are tracked and removed, whatever the order', () => {
    const live = new LiveCalls();
    const a1 = call('c1', 'agent-a');
    live.set(a1);
    live.set(call('c2', 'agent-a'));
    live.set(call('c3', 'agent-b'));
    expect([live.size, live.countOf('agent-a'), live.countOf('agent-b'), live.countOf('nobody')]).toEqual([3, 2, 1, 0]);
    live.set(a1); // the same call again (re-tracked): counted once
    expect(live.countOf('agent-a')).toBe(2);
    live.set(call('c1', 'agent-a')); // a rebuilt copy replaces it: still one call
    expect(live.countOf('agent-a')).toBe(2);
    live.delete('c1');
    live.delete('c1'); // twice: nothing more
    live.delete('unknown');
    expect([live.size, live.countOf('agent-a'), live.countOf('agent-b')]).toEqual([2, 1, 1]);
    live.delete('c2');
    live.delete('c3');
    expect([live.size, live.countOf('agent-a'), live.countOf('agent-b')]).toEqual([0, 0, 0]);
    expect([...live.values()]).toEqual([]);
  });
});
