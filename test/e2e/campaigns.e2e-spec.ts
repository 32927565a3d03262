/**
 * Test dialling (拨测) campaigns (issue 21 item 5, docs/CAMPAIGNS.md) against the real server: a
 * supervisor runs a seeded campaign on the shipped suspend-service and on a draft whose back-end
 * step is wired wrong; each is the field report's table — runs, successes per brand, failures by
 * step and cause, trajectory match — exact, kept with its version and listed per version. Bad input
 * is refused and stores nothing; QA reads, agents reach nothing. Both stores.
 */
import { http } from '../support/client';
import { SUSPEND_STEPS } from '../support/flow';
import { useServer } from '../support/use-server';

const SUSPEND = 'suspend-service';

describe('test dialling campaigns', () => {
  const server = useServer({ users: ['supervisor1', 'qa1', 'agent1'], locale: 'en' });
  const api = async (user: string, method: string, path: string, body?: unknown) =>
    http(server.baseUrl, method, path, { token: await server.token(user), body });
  const created: number[] = [];
  const summary = (c: { result: { calls: { msisdn: string; success: boolean; outcome: string; failure: unknown; trajectoryMatch: number }[] } }) =>
    c.result.calls.map((r) => [r.msisdn, r.success, r.outcome, r.failure, r.trajectoryMatch]);

  it('a seeded campaign on the published version: callers 2:4:4 by brand, the table exact', async () => {
    const res = await api('supervisor1', 'POST', '/api/campaigns', { flowId: SUSPEND, version: 2, calls: 10, seed: 1 });
    expect(res.status).toBe(201);
    const c = res.body;
    created.push(c.id);
    expect(c).toMatchObject({ flowId: SUSPEND, version: 2, calls: 10, seed: 1, quota: { gotone: 2, easyown: 4, mzone: 4 }, requestedBy: 'supervisor1' });
    expect(c.result.mainPath).toEqual(SUSPEND_STEPS);
    expect([c.result.runs, c.result.successes, c.result.trajectoryMatch]).toEqual([10, 7, 0.4546]);
    expect(c.result.byBrand).toEqual([
      { brand: 'gotone', runs: 2, successes: 2 },
      { brand: 'easyown', runs: 4, successes: 1 },
      { brand: 'mzone', runs: 4, successes: 4 },
    ]);
    expect(c.result.failures).toEqual([{ stepId: 'execute-failed', cause: 'BOSS_UNAVAILABLE', count: 3 }]);
    const failed = { stepId: 'execute-failed', cause: 'BOSS_UNAVAILABLE' };
    expect(summary(c)).toEqual([
      ['13800000009', true, 'not-eligible', null, 0.0909],
      ['13800000001', true, 'completed', null, 1],
      ['13800000008', true, 'not-eligible', null, 0.0909],
      ['13800000014', false, 'manual-follow-up', failed, 0.7273],
      ['13800000014', false, 'manual-follow-up', failed, 0.7273],
      ['13800000005', false, 'ticket-raised', failed, 0.7273],
      ['13800000010', true, 'not-eligible', null, 0.0909],
      ['13800000010', true, 'not-eligible', null, 0.0909],
      ['13800000007', true, 'not-eligible', null, 0.0909],
      ['13800000011', true, 'completed', null, 0.9091],
    ]);
    // The same seed draws and dials the same again.
    const again = await api('supervisor1', 'POST', '/api/campaigns', { flowId: SUSPEND, version: 2, calls: 10, seed: 1 });
    created.push(again.body.id);
    expect(again.body.result).toEqual(c.result);
  });

  it('a draft with a step wired wrong: the failures point at it, the trajectory falls', async () => {
    const draft = await api('supervisor1', 'POST', `/api/authoring/flows/${SUSPEND}/versions`);
    expect(draft.status).toBe(201);
    const definition = structuredClone(draft.body.definition);
    // The back end's success now leads to the failure step (a wiring mistake a supervisor can make).
    definition.machine.states.executing.invoke.onDone.target = 'execute-failed';
    const edited = await api('supervisor1', 'PUT', `/api/authoring/flows/${SUSPEND}/versions/${draft.body.version}`, { definition });
    expect(edited.status).toBe(200);
    const res = await api('supervisor1', 'POST', '/api/campaigns', { flowId: SUSPEND, version: draft.body.version, calls: 10, seed: 1 });
    expect(res.status).toBe(201);
    created.push(res.body.id);
    const r = res.body.result;
    expect([r.runs, r.successes]).toEqual([10, 5]);
    expect(r.failures).toEqual([
      { stepId: 'execute-failed', cause: 'BOSS_UNAVAILABLE', count: 3 },
      { stepId: 'execute-failed', cause: 'NO_FAILURE', count: 2 },
    ]);
    // The published version's main path is the blueprint: a run now leaves it at executing (0.4546 before).
    expect(r.trajectoryMatch).toBe(0.4);
    expect(r.mainPath).toContain('remind');
    expect(r.calls[1]).toMatchObject({
      msisdn: '13800000001',
      success: false,
      failure: { stepId: 'execute-failed', cause: 'NO_FAILURE' },
    });
  });

  it('kept with the version: listed per version, newest first, and read one by one; QA reads', async () => {
    const all = await api('qa1', 'GET', `/api/campaigns?flowId=${SUSPEND}`);
    expect(all.status).toBe(200);
    expect(all.body.map((c: { id: number }) => c.id)).toEqual([...created].reverse());
    const v2 = await api('supervisor1', 'GET', `/api/campaigns?flowId=${SUSPEND}&version=2`);
    expect(v2.body.map((c: { id: number }) => c.id)).toEqual([created[1], created[0]]);
    const one = await api('qa1', 'GET', `/api/campaigns/${created[0]}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(all.body.at(-1));
    expect((await api('qa1', 'GET', '/api/campaigns/999999')).status).toBe(404);
  });

  it('bad input is refused and stores nothing; one campaign at a time per node; QA may not run one, agents reach nothing', async () => {
    const count = async () => (await api('qa1', 'GET', `/api/campaigns?flowId=${SUSPEND}`)).body.length;
    const before = await count();
    const refused = async (status: number, code: string, body: unknown, user = 'supervisor1') => {
      const res = await api(user, 'POST', '/api/campaigns', body);
      expect([res.status, res.body.code]).toEqual([status, code]);
    };
    await refused(400, 'VALIDATION_FAILED', { flowId: SUSPEND, version: 2, calls: 0 });
    await refused(400, 'VALIDATION_FAILED', { flowId: SUSPEND, version: 2, calls: 101 });
    await refused(400, 'VALIDATION_FAILED', { flowId: SUSPEND, version: 2, calls: 5, quota: { gotone: 0, easyown: 0, mzone: 0 } });
    await refused(400, 'VALIDATION_FAILED', { flowId: SUSPEND, version: 2, calls: 5, quota: { gotone: -1, easyown: 1, mzone: 1 } });
    await refused(400, 'VALIDATION_FAILED', { flowId: 'Suspend!', version: 2, calls: 5 });
    await refused(404, 'NOT_FOUND', { flowId: SUSPEND, version: 99, calls: 5 });
    await refused(404, 'NOT_FOUND', { flowId: 'no-such-business', version: 1, calls: 5 });
    await refused(403, 'FORBIDDEN', { flowId: SUSPEND, version: 2, calls: 5 }, 'qa1');
    expect((await api('agent1', 'GET', `/api/campaigns?flowId=${SUSPEND}`)).status).toBe(403);
    expect(await count()).toBe(before);
    // Two at once: one runs, the other is refused rather than queued.
    const both = await Promise.all([1, 2].map((seed) => api('supervisor1', 'POST', '/api/campaigns', { flowId: SUSPEND, version: 2, calls: 20, seed })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 429]);
    expect(both.find((r) => r.status === 429)!.body.code).toBe('RATE_LIMITED');
    expect(await count()).toBe(before + 1);
  });
});
