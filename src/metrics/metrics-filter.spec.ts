import { factWhere, grainFor, rollupWhere } from './metrics-filter';

describe("a supervisor's teams in the metrics filter", () => {
  it('reads the per-agent rollups of exactly those agents', () => {
    const f = { agentIds: ['a1', 'a2'] };
    expect(grainFor(f)).toBe('agent');
    expect(rollupWhere(f, false)).toEqual({ sql: '(grain = ?) AND agent_id IN (?, ?)', params: ['agent', 'a1', 'a2'] });
    expect(factWhere(f, 'm')).toEqual({ sql: 'm.agent_id IN (?, ?)', params: ['a1', 'a2'] });
  });

  it('no agents in their teams: no rows at all', () => {
    expect(factWhere({ agentIds: [] }, 'm')).toEqual({ sql: '1 = 0', params: [] });
  });
});
