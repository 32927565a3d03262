/**
 * Every subscriber profile a person opens is recorded (issue 17 item 8, docs/RELIABILITY.md): the
 * screen-pop API writes who, when, which number and whether they had a call in progress with it
 * before it answers; supervisors list the reads (the ones made without a call are the ones to look
 * at). Both stores.
 */
import { http } from '../support/client';
import { useServer } from '../support/use-server';

type Read = { id: number; at: string; username: string; role: string; msisdn: string; forCall: boolean };

describe('profile reads are recorded', () => {
  const server = useServer({ users: ['agent1', 'supervisor1', 'qa1'] });
  const reads = async (query = '') => {
    const res = await http(server.baseUrl, 'GET', `/api/profile-reads${query}`, { token: server.tokens.supervisor1 });
    expect(res.status).toBe(200);
    return res.body as Read[];
  };

  it('a profile opened without a call, and one opened during a call with that number, each leave a row; supervisors list them', async () => {
    const before = (await reads()).length;
    // Without a call: the agent just looks a subscriber up.
    expect((await http(server.baseUrl, 'GET', '/api/customers/13800000002', { token: server.tokens.agent1 })).status).toBe(200);
    // The screen pop, then the call with that number (as the agent screen does).
    expect((await http(server.baseUrl, 'GET', '/api/customers/13800000001', { token: server.tokens.agent1 })).status).toBe(200);
    const agent = await server.connect('agent1');
    const started = await agent.request('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    expect(started.event).toBe('call.view');
    // A number nobody has: nothing was read, nothing recorded.
    expect((await http(server.baseUrl, 'GET', '/api/customers/13999999999', { token: server.tokens.agent1 })).status).toBe(404);
    await agent.request('call.hangup', { callId: started.data.callId });
    await agent.close();

    const all = await reads();
    expect(all.length).toBe(before + 2);
    const [pop, without] = all; // newest first
    expect(pop).toMatchObject({ username: 'agent1', role: 'agent', msisdn: '13800000001', forCall: true });
    expect(without).toMatchObject({ username: 'agent1', role: 'agent', msisdn: '13800000002', forCall: false });
    expect(Date.parse(pop.at)).toBeGreaterThanOrEqual(Date.parse(without.at));

    expect((await reads('?withoutCall=true')).map((r) => r.msisdn)).toContain('13800000002');
    expect((await reads('?withoutCall=true')).some((r) => r.forCall)).toBe(false);
    expect((await reads('?msisdn=13800000001')).every((r) => r.msisdn === '13800000001')).toBe(true);
  });

  it('only supervisors list them, and a bad filter is refused with a typed error', async () => {
    expect((await http(server.baseUrl, 'GET', '/api/profile-reads', { token: server.tokens.qa1 })).status).toBe(403);
    expect((await http(server.baseUrl, 'GET', '/api/profile-reads', { token: server.tokens.agent1 })).status).toBe(403);
    const bad = await http(server.baseUrl, 'GET', '/api/profile-reads?msisdn=abc', { token: server.tokens.supervisor1 });
    expect(bad.status).toBe(400);
    expect((bad.body as { code: string }).code).toBe('VALIDATION_FAILED');
  });
});
