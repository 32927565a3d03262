/**
 * Retention and erasure by crypto-shredding (issue 17 item 8, docs/RELIABILITY.md "Retention and
 * erasure"), against the real server, its real store (SQLite; PostgreSQL in e2e-pg) and the real
 * offline verifier: calls are made, a supervisor erases one subscriber over HTTP; the store's rows
 * of that subscriber's calls no longer hold the name, the number or any payload in clear, QA replay
 * answers CALL_ERASED, the `verify` command still says the log is intact, and another subscriber's
 * calls read as before. A second server with a short RETENTION_DAYS erases calls by their logged
 * end time.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { http } from '../support/client';
import { pgMode, serverDatabase } from '../support/pg-database';
import { until } from '../support/poll';
import { REPO_ROOT } from '../support/server';
import { storeRows, storeSnapshot } from '../support/store';
import { useServer } from '../support/use-server';

const ERASED = { number: '13800000001', name: '张伟' };
const KEPT = { number: '13800000002', name: '李娜' };

async function verifier(dataDir: string): Promise<{ status: number | null; stdout: string }> {
  const args = [path.join(REPO_ROOT, 'dist/anchoring/verify-log.cli.js'), '--data-dir', dataDir];
  if (pgMode()) args.push('--database-url', await serverDatabase(dataDir));
  return spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
}

type Erasure = { id: number; at: string; username: string; pseudonym: string; calls: number; activeCalls?: number };

describe('erasure of a subscriber (crypto-shredding)', () => {
  const server = useServer({ users: ['agent1', 'supervisor1', 'qa1'], env: { RETENTION_SWEEP_MS: '300', CHAIN_ANCHOR_INTERVAL_MS: '200' } });

  /** A call of `number` hung up at once (its first event holds the profile: the name). */
  async function endedCall(number: string): Promise<string> {
    const agent = await server.connect('agent1');
    const started = await agent.request('call.start', { callerNumber: number, flowId: 'suspend-service' });
    expect(started.event).toBe('call.view');
    const callId = started.data.callId as string;
    await agent.request('call.hangup', { callId });
    await agent.close();
    return callId;
  }
  const replay = (callId: string, user = 'qa1') => http(server.baseUrl, 'GET', `/api/qa/calls/${callId}/replay`, { token: server.tokens[user] });

  it('destroys the keys of the subscriber’s ended calls: nothing of them reads in clear, replay says erased, the log still verifies; others untouched', async () => {
    const erased = [await endedCall(ERASED.number), await endedCall(ERASED.number)];
    const kept = await endedCall(KEPT.number);
    const agent = await server.connect('agent1');
    const live = await agent.request('call.start', { callerNumber: ERASED.number, flowId: 'suspend-service' });
    const all = [...erased, kept];
    await until(
      'the end-of-call worker has processed the calls',
      () =>
        storeRows<{ n: number | string }>(server.dataDir, `SELECT COUNT(*) AS n FROM call_outbox WHERE processed_at IS NOT NULL AND call_id IN (?, ?, ?)`, all),
      ([r]) => Number(r.n) === 3,
    );
    // Stored sealed from the start: no payload is in clear even before the erasure.
    const payloads = await storeRows<{ payload: string }>(server.dataDir, `SELECT payload FROM call_events WHERE call_id IN (?, ?, ?)`, all);
    expect(payloads.length).toBeGreaterThan(3);
    expect(payloads.map((p) => p.payload).join()).not.toContain(ERASED.name);
    // Read (and cached) before the erasure, in clear for a supervisor.
    const before = await replay(erased[0], 'supervisor1');
    expect(before.status).toBe(200);
    expect(JSON.stringify(before.body)).toContain(ERASED.name);

    const res = await http(server.baseUrl, 'POST', '/api/erasures', { token: server.tokens.supervisor1, body: { msisdn: ERASED.number } });
    expect(res.status).toBe(201);
    const erasure = res.body as Erasure;
    expect(erasure).toMatchObject({ username: 'supervisor1', calls: 2, activeCalls: 1 });
    expect(erasure.pseudonym).toMatch(/^h:/);

    // The store, read directly: the erased calls' rows hold neither the name nor the number, nor any key.
    const [calls, events, outbox, keys, erasures, metrics] = await storeSnapshot(server.dataDir, [
      { sql: `SELECT * FROM calls WHERE id IN (?, ?)`, params: erased },
      { sql: `SELECT * FROM call_events WHERE call_id IN (?, ?)`, params: erased },
      { sql: `SELECT * FROM call_outbox WHERE call_id IN (?, ?)`, params: erased },
      { sql: `SELECT * FROM call_keys WHERE call_id IN (?, ?)`, params: erased },
      { sql: `SELECT * FROM erasures` },
      { sql: `SELECT call_id FROM metric_calls WHERE call_id IN (?, ?)`, params: erased },
    ]);
    const dump = JSON.stringify([calls, events, outbox, keys, erasures]);
    expect(dump).not.toContain(ERASED.number);
    expect(dump).not.toContain(ERASED.name);
    expect(calls.map((c) => c.caller_number)).toEqual([erasure.pseudonym, erasure.pseudonym]);
    expect(keys.map((k) => k.key)).toEqual([null, null]);
    expect(outbox.map((o) => o.trace)).toEqual([null, null]);
    expect(metrics).toHaveLength(2); // metrics stay (pseudonymised already)

    // Replay (even the one read before) and the call's log answer the typed "erased" outcome.
    for (const id of erased) {
      for (const user of ['qa1', 'supervisor1']) {
        const r = await replay(id, user);
        expect(r.status).toBe(410);
        expect(r.body).toMatchObject({ code: 'CALL_ERASED', details: { callId: id } });
      }
      expect((await http(server.baseUrl, 'GET', `/api/calls/${id}`, { token: server.tokens.supervisor1 })).status).toBe(410);
    }
    // Another subscriber's call reads as before; the call in progress goes on and is left alone.
    const other = await replay(kept, 'supervisor1');
    expect(other.status).toBe(200);
    expect(JSON.stringify(other.body)).toContain(KEPT.name);
    await agent.request('call.hangup', { callId: live.data.callId });
    await agent.close();
    expect((await replay(live.data.callId as string, 'supervisor1')).status).toBe(200);

    // The offline verifier (a separate process, no key) still finds every chain intact.
    const verified = await verifier(server.dataDir);
    expect(verified.stdout).toContain('VERIFIED');
    expect(verified.status).toBe(0);

    // Audited: who, when, the pseudonym, how many calls.
    const list = await http(server.baseUrl, 'GET', '/api/erasures', { token: server.tokens.supervisor1 });
    expect(list.status).toBe(200);
    expect((list.body as Erasure[])[0]).toEqual({ id: erasure.id, at: erasure.at, username: 'supervisor1', pseudonym: erasure.pseudonym, calls: 2 });
  });

  it('only supervisors erase or list erasures; a bad number is refused with a typed error', async () => {
    for (const user of ['agent1', 'qa1']) {
      expect((await http(server.baseUrl, 'POST', '/api/erasures', { token: server.tokens[user], body: { msisdn: KEPT.number } })).status).toBe(403);
      expect((await http(server.baseUrl, 'GET', '/api/erasures', { token: server.tokens[user] })).status).toBe(403);
    }
    const bad = await http(server.baseUrl, 'POST', '/api/erasures', { token: server.tokens.supervisor1, body: { msisdn: 'abc' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { code: string }).code).toBe('VALIDATION_FAILED');
  });
});

describe('retention (RETENTION_DAYS)', () => {
  // ~3.5 s: calls that ended longer ago than that are erased by the sweep (every 300 ms).
  const server = useServer({ users: ['agent1', 'supervisor1'], env: { RETENTION_DAYS: '0.00004', RETENTION_SWEEP_MS: '300' } });

  it('erases calls by their logged end time, and not before', async () => {
    const agent = await server.connect('agent1');
    const started = await agent.request('call.start', { callerNumber: KEPT.number, flowId: 'suspend-service' });
    const callId = started.data.callId as string;
    await agent.request('call.hangup', { callId });
    await agent.close();
    const [{ endedAt }] = await storeRows<{ endedAt: string }>(server.dataDir, `SELECT ended_at AS "endedAt" FROM calls WHERE id = ?`, [callId]);
    const replay = () => http(server.baseUrl, 'GET', `/api/qa/calls/${callId}/replay`, { token: server.tokens.supervisor1 });
    const early = await replay();
    // Read back before its time was up (nothing slower than 3 s here): still in clear.
    if (Date.now() - Date.parse(endedAt) < 3_000) expect(early.status).toBe(200);
    await until('retention erased the call', replay, (r) => r.status === 410, 20_000);
    const [{ erasedAt }] = await storeRows<{ erasedAt: string }>(server.dataDir, `SELECT erased_at AS "erasedAt" FROM call_keys WHERE call_id = ?`, [callId]);
    // Erased only once RETENTION_DAYS had passed since the logged end.
    expect(Date.parse(erasedAt) - Date.parse(endedAt)).toBeGreaterThanOrEqual(0.00004 * 86_400_000);
    const verified = await verifier(server.dataDir);
    expect(verified.status).toBe(0);
  });
});
