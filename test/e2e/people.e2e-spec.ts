/**
 * People administration over the real server (issue 19 item 1, docs/PEOPLE.md): an admin creates a
 * team and three agents by CSV; one signs in (choosing a new password first), takes a call, and is
 * disabled mid-call — their socket closes at once, not at the periodic re-check. Re-roling and a
 * password reset cut sessions the same way; only admins reach /api/people; every change is audited.
 * Logging out (POST /api/auth/logout) cuts every session of the user who logs out, and only theirs.
 */
import { http, WsClient } from '../support/client';
import { useServer } from '../support/use-server';

const CLOSE_SESSION_ENDED = 4401;
/** The socket's close code, once it closes. */
const closeOf = (c: WsClient) => new Promise<{ code: number }>((resolve) => c.ws.once('close', (code) => resolve({ code })));

describe('people administration', () => {
  // The periodic re-check an hour apart: a socket closed here was closed by the change itself, at once.
  const server = useServer({ users: ['admin1', 'agent1', 'supervisor1', 'qa1'], env: { SESSION_RECHECK_MS: '3600000' } });
  const { tokens } = server;
  const admin = (method: string, path: string, body?: unknown) => http(server.baseUrl, method, `/api/people${path}`, { token: tokens.admin1, body });
  const idOf = async (username: string) => ((await admin('GET', '/users')).body as { id: string; username: string }[]).find((u) => u.username === username)!.id;

  /** First login after creation or reset: the password must be changed before a token is given. */
  async function firstLogin(username: string, password: string, newPassword: string): Promise<string> {
    const first = await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username, password } });
    expect(first).toMatchObject({ status: 200, body: { mustChangePassword: true } });
    expect(first.body.token).toBeUndefined();
    const changed = await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username, password, newPassword } });
    expect(changed.status).toBe(200);
    return changed.body.token as string;
  }

  it('non-admins are refused every people route; an admin is not', async () => {
    for (const user of ['agent1', 'supervisor1', 'qa1']) {
      for (const [method, path] of [
        ['GET', '/users'],
        ['POST', '/teams'],
        ['GET', '/audit'],
      ]) {
        const res = await http(server.baseUrl, method, `/api/people${path}`, { token: tokens[user], body: method === 'POST' ? { name: 'Sneaky' } : undefined });
        expect([user, path, res.status, res.body.code]).toEqual([user, path, 403, 'FORBIDDEN']);
      }
    }
    expect((await admin('GET', '/teams')).body.map((t: { name: string }) => t.name)).not.toContain('Sneaky');
    expect((await admin('GET', '/users')).status).toBe(200);
  });

  it('a team and 3 agents by CSV; one takes a call and is disabled mid-call: the socket closes at once', async () => {
    const team = await admin('POST', '/teams', { name: 'North' });
    expect(team.status).toBe(200);
    const csv = [
      'username,role,password,team',
      'north1,agent,North-Pass-001,North',
      'north2,agent,North-Pass-002,North',
      'north3,agent,North-Pass-003,North',
      'north4,agent,weak,North',
    ].join('\n');
    const report = await admin('POST', '/import', { csv });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ created: 3, failed: 1 });
    expect(report.body.rows.map((r: { row: number; ok: boolean; error?: string }) => [r.row, r.ok, r.error])).toEqual([
      [1, true, undefined],
      [2, true, undefined],
      [3, true, undefined],
      [4, false, 'weak-password'],
    ]);
    const users = (await admin('GET', '/users')).body as { username: string; teamId: string | null; mustChangePassword: boolean }[];
    expect(users.filter((u) => u.username.startsWith('north')).map((u) => [u.username, u.teamId, u.mustChangePassword])).toEqual([
      ['north1', team.body.id, true],
      ['north2', team.body.id, true],
      ['north3', team.body.id, true],
    ]);

    const token = await firstLogin('north1', 'North-Pass-001', 'Mine-North-1!');
    const socket = await WsClient.connect(server.port, token);
    const view = await socket.request('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    expect(view.event).toBe('call.view');
    const closed = closeOf(socket);
    const disabled = await admin('PATCH', `/users/${await idOf('north1')}`, { disabled: true });
    expect(disabled.body).toMatchObject({ username: 'north1', disabled: true });
    const { code } = await closed;
    expect(code).toBe(CLOSE_SESSION_ENDED);
    const again = await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'north1', password: 'Mine-North-1!' } });
    expect([again.status, again.body.code]).toEqual([401, 'UNAUTHORIZED']);
    expect((await http(server.baseUrl, 'GET', '/api/flows', { token })).status).toBe(401);
  });

  it('re-roling an agent ends their sessions at once; their next login has the new role', async () => {
    const token = await firstLogin('north2', 'North-Pass-002', 'Mine-North-2!');
    const socket = await WsClient.connect(server.port, token);
    expect((await socket.request('flow.search', { q: 'bill' })).event).toBe('flow.results');
    const closed = closeOf(socket);
    await admin('PATCH', `/users/${await idOf('north2')}`, { role: 'qa' });
    const { code } = await closed;
    expect(code).toBe(CLOSE_SESSION_ENDED);
    const again = await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'north2', password: 'Mine-North-2!' } });
    expect(again.body.role).toBe('qa');
  });

  it('an admin reset ends the sessions and forces a strong new password at the next login', async () => {
    const token = await firstLogin('north3', 'North-Pass-003', 'Mine-North-3!');
    const socket = await WsClient.connect(server.port, token);
    const closed = closeOf(socket);
    const id = await idOf('north3');
    expect((await admin('POST', `/users/${id}/password-reset`, { password: 'weak' })).body.code).toBe('VALIDATION_FAILED');
    expect((await admin('POST', `/users/${id}/password-reset`, { password: 'Reset-North-33' })).body).toMatchObject({ mustChangePassword: true });
    expect((await closed).code).toBe(CLOSE_SESSION_ENDED);
    const weak = await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'north3', password: 'Reset-North-33', newPassword: 'abc' } });
    expect([weak.status, weak.body.code, weak.body.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'newPassword']);
    await firstLogin('north3', 'Reset-North-33', 'Fresh-North-3!');
  });

  it('every change is in the audit, newest first, with who, what, when, before and after', async () => {
    const audit = (await admin('GET', '/audit')).body as { action: string; actor: string; targetName: string; before: unknown; after: unknown; at: string }[];
    expect(audit.every((e) => e.actor === 'admin1' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    const of = (name: string) => audit.filter((e) => e.targetName === name).map((e) => [e.action, e.before, e.after]);
    expect(of('north1')).toEqual([
      ['user.disable', { disabled: false }, { disabled: true }],
      ['user.create', null, expect.objectContaining({ username: 'north1', role: 'agent' })],
    ]);
    expect(of('north2')[0]).toEqual(['user.role', { role: 'agent' }, { role: 'qa' }]);
    expect(of('north3')[0]).toEqual(['user.password-reset', { mustChangePassword: false }, { mustChangePassword: true }]);
    expect(of('North')).toEqual([['team.create', null, { name: 'North' }]]);
    expect(audit.map((e) => e.targetName)).not.toContain('north4');
  });
});

describe('a supervisor sees their teams on the floor and dashboards', () => {
  const server = useServer({ users: ['admin1', 'agent1', 'supervisor1'] });
  const { tokens } = server;
  const admin = (method: string, path: string, body?: unknown) => http(server.baseUrl, method, `/api/people${path}`, { token: tokens.admin1, body });

  /** floor.subscribe until the online agents are `want` (team scopes are re-read just after the admin's change). */
  async function onlineAgents(socket: WsClient, want: string[]): Promise<string[]> {
    let seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      const snapshot = await socket.request('floor.subscribe', {});
      seen = snapshot.data.agentsOnline.map((a: { username: string }) => a.username).sort();
      if (JSON.stringify(seen) === JSON.stringify(want)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  }

  it('a supervisor of team South sees only South agents on the floor and in the dashboards; set back to all teams, everyone', async () => {
    const south = (await admin('POST', '/teams', { name: 'South' })).body;
    const created = await admin('POST', '/users', { username: 'south1', role: 'agent', password: 'South-Pass-01', teamId: south.id });
    expect(created.body).toMatchObject({ teamId: south.id, mustChangePassword: true });
    await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'south1', password: 'South-Pass-01', newPassword: 'Mine-South-1!' } });
    const southToken = (await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'south1', password: 'Mine-South-1!' } })).body.token;
    const southAgent = await WsClient.connect(server.port, southToken);
    const agent1 = await server.connect('agent1');
    const supervisor = await server.connect('supervisor1');
    expect(await onlineAgents(supervisor, ['agent1', 'south1'])).toEqual(['agent1', 'south1']);
    const users = (await admin('GET', '/users')).body as { id: string; username: string }[];
    const supervisorId = users.find((u) => u.username === 'supervisor1')!.id;
    expect((await admin('PATCH', `/users/${supervisorId}`, { supervises: [south.id] })).body.supervises).toEqual([south.id]);
    expect(await onlineAgents(supervisor, ['south1'])).toEqual(['south1']);
    await admin('PATCH', `/users/${supervisorId}`, { supervises: 'all' });
    expect(await onlineAgents(supervisor, ['agent1', 'south1'])).toEqual(['agent1', 'south1']);

    // The dashboards too: one call by each agent; the South supervisor counts South's only.
    for (const socket of [southAgent, agent1]) {
      const view = await socket.request('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
      expect((await socket.request('call.hangup', { callId: view.data.callId })).event).toBe('call.view');
    }
    const calls = async () => (await http(server.baseUrl, 'GET', '/api/metrics/summary', { token: tokens.supervisor1 })).body.calls as number;
    for (let i = 0; i < 100 && (await calls()) !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await calls()).toBe(2);
    await admin('PATCH', `/users/${supervisorId}`, { supervises: [south.id] });
    expect(await calls()).toBe(1);
    await admin('PATCH', `/users/${supervisorId}`, { supervises: [] });
    expect(await calls()).toBe(0);
    await Promise.all([southAgent.close(), agent1.close()]);
  });

  it('logging out ends every token and socket of that user at once — mid-call too — and no one else’s; signing in again works', async () => {
    const login = async (username: string) =>
      (await http(server.baseUrl, 'POST', '/api/auth/login', { body: { username, password: 'demo' } })).body.token as string;
    const [desk, phone, other] = [await login('agent1'), await login('agent1'), await login('supervisor1')];
    const socket = await WsClient.connect(server.port, desk);
    const view = await socket.request('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    const callId = (view.data as { callId: string }).callId;
    const watching = await WsClient.connect(server.port, other);
    const closed = closeOf(socket);

    const out = await http(server.baseUrl, 'POST', '/api/auth/logout', { token: phone });
    expect(out.status).toBe(204);
    expect((await closed).code).toBe(CLOSE_SESSION_ENDED);
    for (const token of [desk, phone]) {
      expect(await http(server.baseUrl, 'GET', '/api/flows', { token })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      expect(await http(server.baseUrl, 'POST', '/api/auth/logout', { token })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    }
    expect(await http(server.baseUrl, 'POST', '/api/auth/logout', {})).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    // Someone else's session is untouched.
    expect(watching.isOpen).toBe(true);
    expect((await http(server.baseUrl, 'GET', '/api/flows', { token: other })).status).toBe(200);

    // Signed in again: a session that holds, and the call the agent left is still theirs, where it was.
    const again = await login('agent1');
    expect((await http(server.baseUrl, 'GET', `/api/calls/${callId}`, { token: again })).body).toMatchObject({ id: callId, status: 'active' });
    const next = await WsClient.connect(server.port, again);
    expect((await next.request('call.start', { callerNumber: '13800000002', flowId: 'suspend-service' })).event).toBe('call.view');
    await Promise.all([next.close(), watching.close()]);
  });
});
