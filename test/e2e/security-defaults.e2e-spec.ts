/**
 * Secure defaults and headers (issue 17 item 9, docs/RELIABILITY.md "Hostile input"): helmet's
 * headers and a Content-Security-Policy on every response, no X-Powered-By; a body that is not JSON
 * answers BAD_JSON and one over the limit 413 with `details.limit`; every file the server creates is
 * readable by its owner only; an agent holds at most MAX_LIVE_CALLS_PER_AGENT calls at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asView } from '../support/client';
import { pgMode } from '../support/pg-database';
import { startServer } from '../support/server';
import { useServer } from '../support/use-server';

describe('secure defaults', () => {
  const server = useServer({ env: { MAX_LIVE_CALLS_PER_AGENT: '3', HTTP_BODY_LIMIT_BYTES: '4096' }, users: ['agent2'] });

  it('sends security headers on pages and API answers, and no X-Powered-By', async () => {
    for (const url of ['/', '/api/health']) {
      const res = await fetch(`${server.baseUrl}${url}`);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('answers a body that is not JSON with BAD_JSON and one over the limit with 413 and its limit', async () => {
    const post = (body: string, type: string) =>
      fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    expect(await post('username=agent1&password=demo', 'application/x-www-form-urlencoded')).toEqual({
      status: 400,
      body: { code: 'BAD_JSON', message: 'The request body is not valid JSON' },
    });
    expect(await post('{"username": "agent1",', 'application/json')).toMatchObject({ status: 400, body: { code: 'BAD_JSON' } });
    expect(await post(JSON.stringify({ username: 'x'.repeat(5000), password: 'demo' }), 'application/json')).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), details: { limit: 4096 } },
    });
  });

  it('creates its files readable by their owner only (0600)', () => {
    const files = fs.readdirSync(server.dataDir).filter((f) => !fs.statSync(path.join(server.dataDir, f)).isDirectory());
    if (!pgMode()) expect(files).toEqual(expect.arrayContaining(['laihua.sqlite', 'laihua.sqlite-wal']));
    for (const f of files) expect([f, (fs.statSync(path.join(server.dataDir, f)).mode & 0o777).toString(8)]).toEqual([f, '600']);
  });

  it(`lets one agent hold at most MAX_LIVE_CALLS_PER_AGENT (3) calls in progress`, async () => {
    const c = await server.connect('agent2');
    const start = () => c.request('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
    const calls = [asView(await start()), asView(await start()), asView(await start())];
    const refused = await start();
    expect(refused.event).toBe('call.error');
    expect(refused.data).toMatchObject({ code: 'TOO_MANY_CALLS', details: { limit: 3 } });
    await c.request('call.hangup', { callId: calls[0].data.callId });
    expect((await start()).event).toBe('call.view');
  });

  it('in production, /metrics is closed until METRICS_TOKEN is set, and there are no demo users', async () => {
    const prod = await startServer({ env: { NODE_ENV: 'production', DEMO_DATA: '' } });
    try {
      expect((await fetch(`${prod.baseUrl}/metrics`)).status).toBe(401);
      const login = await fetch(`${prod.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'agent1', password: 'demo' }),
      });
      expect(login.status).toBe(401);
    } finally {
      await prod.stop();
      prod.cleanup();
    }
    const withToken = await startServer({ env: { NODE_ENV: 'production', METRICS_TOKEN: 'scrape-token-for-the-spec' } });
    try {
      expect((await fetch(`${withToken.baseUrl}/metrics`, { headers: { authorization: 'Bearer scrape-token-for-the-spec' } })).status).toBe(200);
    } finally {
      await withToken.stop();
      withToken.cleanup();
    }
  });
});
