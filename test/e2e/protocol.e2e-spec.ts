/**
 * The wire protocol and access control: malformed frames, handshake auth, ownership of calls,
 * unknown callers/flows, and the HTTP API's authentication and authorisation.
 */
import { CallDriver, expectStep, FLOW_ID } from '../support/flow';
import { expectError, getCall, http, tryHandshake, wsUrl, type WsClient } from '../support/client';
import { useServer } from '../support/use-server';

describe('protocol, auth and access control', () => {
  const server = useServer({ users: ['agent1', 'agent2', 'qa1', 'supervisor1'] });
  const { tokens } = server;
  const connect = (user = 'agent1', locale?: string): Promise<WsClient> => server.connect(user, locale);

  describe('malformed frames', () => {
    it('answers BAD_JSON, UNKNOWN_EVENT and VALIDATION_FAILED, and keeps the connection usable', async () => {
      const c = await connect();

      c.sendRaw('{not json');
      const badJson = await c.next((f) => f.event === 'call.error', 5000, 'the BAD_JSON error');
      expectError(badJson, 'BAD_JSON');
      expect(badJson.data.requestId ?? null).toBeNull();

      c.send('call.dance', { requestId: 'x' });
      const unknown = await c.next((f) => f.data?.requestId === 'x', 5000, 'the UNKNOWN_EVENT error');
      expectError(unknown, 'UNKNOWN_EVENT');
      expect(unknown.data.requestId).toBe('x');

      const invalid = await c.request('call.start', { flowId: FLOW_ID });
      expectError(invalid, 'VALIDATION_FAILED');
      expect(invalid.data.details).toBeTruthy();
      expect(JSON.stringify(invalid.data.details)).toContain('callerNumber');

      expect(c.isOpen).toBe(true);
      const d = new CallDriver(c);
      const v = await d.start('13800000001');
      expectStep(v, 'check-eligibility');
      expect(v.data.seq).toBe(1);
    });
  });

  describe('WebSocket handshake', () => {
    it('refuses a connection without a token with HTTP 401', async () => {
      const res = await tryHandshake(wsUrl(server.port));
      expect(res.status).toBe(401);
    });

    it('refuses a bad token with HTTP 401', async () => {
      expect((await tryHandshake(wsUrl(server.port, 'not-a-token'))).status).toBe(401);
      // A well-formed but forged JWT.
      const forged =
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' +
        Buffer.from(JSON.stringify({ sub: 'agent1', role: 'agent', exp: 4102444800 })).toString('base64url') +
        '.c2lnbmF0dXJlLWRvZXMtbm90LW1hdGNo';
      expect((await tryHandshake(wsUrl(server.port, forged))).status).toBe(401);
    });

    it('accepts a valid token', async () => {
      expect((await tryHandshake(wsUrl(server.port, tokens.agent1))).status).toBe('open');
    });
  });

  describe('call ownership', () => {
    it("refuses agent2 deciding on or attaching to agent1's call, leaving it unchanged", async () => {
      const owner = new CallDriver(await connect('agent1'));
      await owner.start('13800000001');
      const cr = await owner.decide('continue', undefined, 'confirm-reason');
      const before = await getCall(server.baseUrl, tokens.agent1, owner.callId);

      const intruder = await connect('agent2');
      const decided = await intruder.request('call.decide', {
        callId: owner.callId,
        seq: cr.data.seq,
        option: 'continue',
        input: { reason: 'travel' },
      });
      expectError(decided, 'FORBIDDEN');
      const attached = await intruder.request('call.attach', { callId: owner.callId });
      expectError(attached, 'FORBIDDEN');

      const after = await getCall(server.baseUrl, tokens.agent1, owner.callId);
      expect(after.status).toBe(before.status);
      expect(after.events).toEqual(before.events);
      expect(intruder.history.filter((f) => f.event === 'call.view')).toHaveLength(0);

      // The owner carries on at the same seq.
      const w = await owner.decide('continue', { reason: 'travel' }, 'warn');
      expect(w.data.seq).toBe(cr.data.seq + 1);
    });
  });

  describe('unknown things', () => {
    it('answers NOT_FOUND for an unknown caller and an unknown flow', async () => {
      const c = await connect();
      const noCaller = await c.request('call.start', { callerNumber: '13700000000', flowId: FLOW_ID });
      expectError(noCaller, 'NOT_FOUND');
      const noFlow = await c.request('call.start', { callerNumber: '13800000001', flowId: 'no-such-flow' });
      expectError(noFlow, 'NOT_FOUND');
    });
  });

  describe('HTTP API', () => {
    it('refuses a wrong password or unknown user with 401', async () => {
      const wrong = await http(server.baseUrl, 'POST', '/api/auth/login', {
        body: { username: 'agent1', password: 'wrong' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body?.token).toBeUndefined();
      const nobody = await http(server.baseUrl, 'POST', '/api/auth/login', {
        body: { username: 'nobody', password: 'demo' },
      });
      expect(nobody.status).toBe(401);
    });

    it('returns token and role on login', async () => {
      const res = await http(server.baseUrl, 'POST', '/api/auth/login', {
        body: { username: 'qa1', password: 'demo' },
      });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      expect(res.body).toEqual(expect.objectContaining({ token: expect.any(String), role: expect.any(String) }));
    });

    it('lets the owner, QA and supervisors read a call, not another agent or anonymous callers', async () => {
      const d = new CallDriver(await connect('agent1'));
      await d.start('13800000001');
      const path = `/api/calls/${encodeURIComponent(d.callId)}`;

      expect((await http(server.baseUrl, 'GET', path, { token: tokens.agent1 })).status).toBe(200);
      const other = await http(server.baseUrl, 'GET', path, { token: tokens.agent2 });
      expect(other.status).toBe(403);
      expect(other.body?.events).toBeUndefined();
      for (const user of ['qa1', 'supervisor1']) {
        const res = await http(server.baseUrl, 'GET', path, { token: tokens[user] });
        expect({ user, status: res.status }).toEqual({ user, status: 200 });
        expect(res.body.events.length).toBeGreaterThan(0);
      }
      expect((await http(server.baseUrl, 'GET', path)).status).toBe(401);
      expect((await http(server.baseUrl, 'GET', path, { token: 'not-a-token' })).status).toBe(401);
    });

    it('lists the suspend-service flow', async () => {
      const res = await http(server.baseUrl, 'GET', '/api/flows', { token: tokens.agent1 });
      expect(res.status).toBe(200);
      const list: any[] = Array.isArray(res.body) ? res.body : res.body?.flows;
      expect(Array.isArray(list)).toBe(true);
      const flow = list.find((f) => f.id === 'suspend-service');
      expect(flow).toBeDefined();
      expect(flow.version).toBe(2); // flows/suspend-service.json
      expect(flow.title).toBeTruthy();
    });
  });
});
