/**
 * GET /api/health while the read thread is busy with a long QA search (docs/RELIABILITY.md "The health
 * endpoint cannot stall calls"): the poll is answered after HEALTH_BACKLOG_WAIT_MS with the last backlog
 * read and when it was read, before the search ends — never held until the search is done. A million
 * calls of which none went through the searched business make the search scan them all, as a rare
 * filter over a quarter's calls would. SQLite only: PostgreSQL's queries run on pooled connections.
 * A survey reply's match to its call reads on the read thread too (a number with thousands of calls is
 * read and sorted whole): it waits its turn behind the search, it never runs on the agents' thread.
 */
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { type EndOfCallBacklog, endOfCallBacklog } from '../support/backlog';
import { http, login } from '../support/client';
import { startServer, type TestServer } from '../support/server';
import { messageId, postSurveyReply, SURVEY_SECRET } from '../support/survey';

const CALLS = 1_000_000;

/** Call ids are UUIDs (the OpenAPI document says so of every call id it answers). */
const seededId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

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
      insert.run(seededId(i), `139${String(i).padStart(8, '0')}`, started.toISOString(), ended, ended);
    }
  })();
  db.close();
}

const backlogOf = async (baseUrl: string) => ((await http(baseUrl, 'GET', '/api/health')).body as { endOfCall: EndOfCallBacklog }).endOfCall;

/**
 * Starts a QA search that holds the read thread (a business no call went through, a page past the
 * search's cap: its one read counts every call) and polls the health endpoint until a poll, asked
 * while the search runs, is answered with a reading from before it asked: the read thread is busy, and
 * the poll's own read waits behind the search. Throws if the search ends first.
 */
async function holdReadThread(baseUrl: string, order: string[]) {
  const qa = await login(baseUrl, 'qa1');
  let ended = false;
  const search = http(baseUrl, 'GET', '/api/qa/calls?flowId=no-such-business&minDurationMs=0&page=201&pageSize=50', { token: qa }).then((res) => {
    ended = true;
    order.push('search');
    return res;
  });
  while (!ended) {
    const asked = Date.now();
    const stale = await backlogOf(baseUrl);
    if (!ended && Date.parse(stale.readAt) < asked) {
      order.push('health');
      return { search, asked, stale };
    }
  }
  throw new Error(`The search ended before a poll found the read thread busy: ${(await search).status}`);
}

describe('long reads on the read thread', () => {
  let server: TestServer | undefined;

  beforeAll(async () => {
    const first = await startServer();
    await first.stop();
    seedCalls(first.dataDir);
    server = await startServer({ dataDir: first.dataDir, env: { HEALTH_BACKLOG_WAIT_MS: '50', SURVEY_SECRET } });
  });

  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it('the health endpoint answers with the last backlog read, and when it was read, while a wide QA search holds the read thread', async () => {
    const { baseUrl } = server!;
    // The first reading (nothing older to give): the read thread is idle.
    const before = await backlogOf(baseUrl);
    const order: string[] = [];
    const { search, asked, stale } = await holdReadThread(baseUrl, order);
    const found = await search;

    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 0, totalCapped: false, calls: [] });
    // Answered before the search ended, with the last reading and when it was taken: before the poll asked.
    expect(order).toEqual(['health', 'search']);
    expect(stale).toMatchObject({ pending: before.pending });
    expect(Date.parse(stale.readAt)).toBeLessThan(asked);
    // Once the search is done, the poll's read lands and polls get fresh readings again.
    const after = await endOfCallBacklog(baseUrl);
    expect(Date.parse(after.readAt)).toBeGreaterThanOrEqual(asked);
  });

  it('a survey reply is matched to its call on the read thread: after the search it queued behind, with the right call', async () => {
    const { baseUrl } = server!;
    // Call 20 ended 45 s ago: inside the IVR's 30-minute window.
    const reply = { messageId: messageId(), channel: 'ivr', callerNumber: '13900000020', answer: '4', repliedAt: new Date().toISOString() };
    const order: string[] = [];
    const { search } = await holdReadThread(baseUrl, order);
    const answered = postSurveyReply(baseUrl, reply).then((res) => {
      order.push('survey');
      return res;
    });
    const [found, res] = await Promise.all([search, answered]);
    expect(found.status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ callId: seededId(20), rating: 4 });
    expect(order).toEqual(['health', 'search', 'survey']);
  });
});
