/**
 * Single sign-on over real HTTP (docs/SSO.md): the built server against a real OpenID Connect
 * provider (oidc-provider, its own process: test/support/oidc-provider-server.mjs), signing in
 * through the provider's own login form the way a browser does (cookies, redirects).
 */
import type { ChildProcess } from 'node:child_process';
import { providerEnv, startWithProvider } from '../support/oidc-provider';
import { startServer, type TestServer } from '../support/server';

/** A browser's cookie jar and redirect following, per host:port. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();
  async go(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; text: string; location: string | null }> {
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      const u = new URL(current);
      const jar = this.jars.get(u.host) ?? new Map<string, string>();
      this.jars.set(u.host, jar);
      const res = await fetch(current, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as object), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [k, v] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(k);
        else jar.set(k, v);
      }
      const location = res.headers.get('location');
      // The web app's own page: the fragment carries the outcome; stop there.
      if (location && new URL(location, current).hash.startsWith('#sso-'))
        return { url: current, status: res.status, text: '', location: new URL(location, current).href };
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        init = {};
        continue;
      }
      return { url: current, status: res.status, text: await res.text(), location };
    }
    throw new Error('too many redirects');
  }
}

/** Signs in as `login` at the provider's login form; the fragment laihua's callback answered with. */
async function ssoLogin(server: TestServer, login: string): Promise<URLSearchParams> {
  const browser = new Browser();
  const form = await browser.go(`${server.baseUrl}/api/auth/oidc/start`);
  expect(form.status).toBe(200);
  const action = /<form[^>]*action="([^"]+)"/.exec(form.text)?.[1];
  expect(action).toBeDefined();
  const done = await browser.go(new URL(action!, form.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
  });
  expect(done.location).toMatch(new RegExp(`^${server.baseUrl}/#sso-`));
  return new URLSearchParams(new URL(done.location!).hash.slice(1));
}

const api = async (server: TestServer, method: string, route: string, token?: string, body?: unknown) => {
  const res = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
};

describe.each([
  ['a provider that tells the truth', ''],
  ['a provider issuing ID tokens for another client', 'audience'],
  ['a provider issuing expired ID tokens', 'expired'],
])('single sign-on with %s', (_name, tamper) => {
  let provider: ChildProcess;
  let server: TestServer;
  beforeAll(async () => {
    ({ provider, server } = await startWithProvider(tamper, (ports) =>
      startServer({
        port: ports.laihuaPort,
        env: providerEnv(ports, { 'hl-agents': 'agent', 'hl-leads': 'supervisor', 'hl-qa': 'qa', 'hl-admins': 'admin' }, tamper !== ''),
      }),
    ));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
    provider?.kill();
  });

  if (tamper !== '') {
    it('refuses the ID token: no session', async () => {
      const outcome = await ssoLogin(server, 'agent1');
      expect(outcome.get('sso-error')).toBe('UNAUTHORIZED');
      expect(outcome.get('sso-token')).toBeNull();
      expect(outcome.get('message')).toMatch(tamper === 'audience' ? /"aud"/ : /"exp"/);
    });
    return;
  }

  it('says how to sign in: SSO only', async () => {
    expect((await api(server, 'GET', '/api/auth/oidc/options')).body).toEqual({ localPasswords: false, sso: { providerName: 'Test IdP' } });
  });

  it('signs a known user in with the same session a password login gives', async () => {
    const outcome = await ssoLogin(server, 'agent1');
    expect(outcome.get('role')).toBe('agent');
    const token = outcome.get('sso-token')!;
    expect((await api(server, 'GET', '/api/customers/13800000000', token)).status).not.toBe(401);
  });

  it('takes the role from the claims at each login, audited like an admin change', async () => {
    const outcome = await ssoLogin(server, 'agent2');
    expect(outcome.get('role')).toBe('supervisor');
    const admin = (await ssoLogin(server, 'admin1')).get('sso-token')!;
    const audit = (await api(server, 'GET', '/api/people/audit', admin)).body;
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: 'sso', action: 'user.role', targetName: 'agent2', before: { role: 'agent' }, after: { role: 'supervisor' } }),
    );
  });

  it('refuses a user the provider knows but laihua does not', async () => {
    const outcome = await ssoLogin(server, 'stranger');
    expect(outcome.get('sso-error')).toBe('FORBIDDEN');
    expect(outcome.get('message')).toMatch(/not to laihua/);
  });

  it('refuses password logins when local passwords are off', async () => {
    const res = await api(server, 'POST', '/api/auth/login', undefined, { username: 'agent1', password: 'demo' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('refuses a disabled user', async () => {
    expect((await ssoLogin(server, 'qa1')).get('role')).toBe('qa');
    const admin = (await ssoLogin(server, 'admin1')).get('sso-token')!;
    const qa1 = (await api(server, 'GET', '/api/people/users', admin)).body.find((u) => u.username === 'qa1')!;
    expect((await api(server, 'PATCH', `/api/people/users/${String(qa1.id)}`, admin, { disabled: true })).status).toBe(200);
    const outcome = await ssoLogin(server, 'qa1');
    expect(outcome.get('sso-error')).toBe('FORBIDDEN');
    expect(outcome.get('message')).toMatch(/disabled/);
  });

  it('refuses a callback that was not started here (no pending-login cookie)', async () => {
    const res = await fetch(`${server.baseUrl}/api/auth/oidc/callback?code=x&state=y`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URLSearchParams(new URL(res.headers.get('location')!, server.baseUrl).hash.slice(1)).get('sso-error')).toBe('UNAUTHORIZED');
  });
});
