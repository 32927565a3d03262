/**
 * GET /api/health while the read thread is busy with a long QA search (docs/RELIABILITY.md "The health
 * endpoint cannot stall calls"): the poll is answered after HEALTH_BACKLOG_WAIT_MS with the last backlog
 * read and when it was read, before the search ends — never held until the search is done. A million
 * calls of which none went through the searched business make the search scan them all, as a rare
 * filter over a quarter's calls would. SQLite only: PostgreSQL's queries run on pooled connections.
 */
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { type EndOfCallBacklog, endOfCallBacklog } from '../support/backlog';
import { http, login } from '../support/client';
import { startServer, type TestServer } from '../support/server';

const CALLS = 1_000_000;

/** Ended calls of a minute each, one every 5 s back from now, none in any logged business. */
function seedCalls(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'laihua.sqlite'));
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO calls (id, flow_id, flow_version, agent_id, caller_number, status, outcome, state, seq, started_at, updated_at, ended_at)
     VALUES (?, 'suspend-service', 1, 'seeded-agent', ?, 'completed', 'resolved', 'done', 3, ?, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const started = new Date(now - (i + 1) * 5_000);
      const ended = new Date(started.getTime() + 60_000).toISOString();
      insert.run(`seeded-${i}`, `139${String(i).padStart(8, '0')}`, started.toISOString(), ended, ended);
    }
  })();
  db.close();
}

describe('the health endpoint behind a long read', () => {
  let server: TestServer | undefined;

  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it('answers with the last backlog read, and when it was read, while a wide QA search holds the read thread', async () => {
    const first = await startServer();
    await first.stop();
    seedCalls(first.dataDir);
    server = await startServer({ dataDir: first.dataDir, env: { HEALTH_BACKLOG_WAIT_MS: '50' } });
    const { baseUrl } = server;
    const backlogOf = async () => ((await http(baseUrl, 'GET', '/api/health')).body as { endOfCall: EndOfCallBacklog }).endOfCall;
    // The first reading (nothing older to give): the read thread is idle.
    const before = await backlogOf();
    const qa = await login(baseUrl, 'qa1');

    const order: string[] = [];
    const search = http(baseUrl, 'GET', '/api/qa/calls?flowId=no-such-business', { token: qa }).then((res) => {
      order.push('search');
      return res;
    });
    // The search's count is on the read thread (it scans every call); the poll's read queues behind it.
    await new Promise((r) => setTimeout(r, 100));
    const asked = Date.now();
    const during = await backlogOf();
    order.push('health');
    const found = await search;

    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 0, totalCapped: false, calls: [] });
    expect(order).toEqual(['health', 'search']);
    // The last reading, saying when it was taken: before this poll asked.
    expect(during).toEqual(before);
    expect(Date.parse(during.readAt)).toBeLessThan(asked);
    // Once the search is done, the poll's read lands and polls get fresh readings again.
    const after = await endOfCallBacklog(baseUrl);
    expect(Date.parse(after.readAt)).toBeGreaterThanOrEqual(asked);
  });
});
