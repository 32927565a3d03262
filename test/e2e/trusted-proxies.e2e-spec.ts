/**
 * Behind a load balancer (docs/SCALE-OUT.md): the per-address login limit counts each agent's
 * desktop, read from X-Forwarded-For — but only when the request comes from a proxy listed in
 * TRUSTED_PROXIES. Without it the header is ignored, so a client cannot escape the limit by making
 * up addresses. The test process connects from 127.0.0.1, which plays the proxy.
 */
import { useServer } from '../support/use-server';

const PER_IP = 4;
const ENV = { LOGIN_MAX_FAILURES_PER_IP: String(PER_IP), LOGIN_MAX_FAILURES_PER_USER: '1000', LOGIN_FAILURE_WINDOW_SECONDS: '60' };

const attempt = async (baseUrl: string, forwardedFor: string, username = 'agent1', password = 'wrong-password') =>
  (
    await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(10_000),
    })
  ).status;

describe('the client address behind a trusted proxy', () => {
  const server = useServer({ env: { ...ENV, TRUSTED_PROXIES: 'loopback' } });

  it('counts failures per desktop named by the proxy: one desktop locked out, the next one still signs in', async () => {
    for (let i = 0; i < PER_IP; i++) expect(await attempt(server.baseUrl, '10.1.0.1')).toBe(401);
    expect(await attempt(server.baseUrl, '10.1.0.1', 'agent2', 'demo')).toBe(429);
    // Another desktop behind the same proxy: its own count.
    expect(await attempt(server.baseUrl, '10.1.0.2', 'agent2', 'demo')).toBe(200);
    // The client's own claim before the proxy's is not what counts: the proxy appends the real address last.
    expect(await attempt(server.baseUrl, '10.9.9.9, 10.1.0.1', 'agent2', 'demo')).toBe(429);
  });
});

describe('without trusted proxies', () => {
  const server = useServer({ env: ENV });

  it('ignores X-Forwarded-For: made-up addresses do not escape the per-address limit', async () => {
    for (let i = 0; i < PER_IP; i++) expect(await attempt(server.baseUrl, `10.2.0.${i}`)).toBe(401);
    expect(await attempt(server.baseUrl, '10.2.0.99', 'agent2', 'demo')).toBe(429);
  });
});
