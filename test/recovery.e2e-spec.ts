/**
 * Durability: the server is SIGKILLed mid-call and a new one on the same data directory resumes
 * the call from the log; and the replay catches a tampered log.
 */
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CallDriver, expectStep } from './support/flow';
import { expectDeterministicReplay, getCall, login, replayCall, startServer, WsClient, type TestServer } from './support/server';

/** Run fn with the triggers on call_events dropped, restoring them afterwards (one transaction). */
function withoutCallEventTriggers<T>(db: Database.Database, fn: () => T): T {
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'call_events'`).all() as {
    name: string;
    sql: string;
  }[];
  return db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name.replace(/"/g, '""')}"`);
    const result = fn();
    for (const t of triggers) db.exec(t.sql);
    return result;
  })();
}

describe('durability', () => {
  const servers: TestServer[] = [];
  const clients: WsClient[] = [];

  const start = async (dataDir?: string, env?: Record<string, string>) => {
    const s = await startServer({ dataDir, env });
    servers.push(s);
    return s;
  };
  const connect = async (s: TestServer, user = 'agent1') => {
    const c = await WsClient.connect(s.port, await login(s.baseUrl, user));
    clients.push(c);
    return c;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    const all = servers.splice(0);
    await Promise.all(all.map((s) => s.kill('SIGKILL')));
    for (const s of all) s.cleanup();
  });

  describe('crash recovery', () => {
    it('resumes a call at the same step and seq after SIGKILL, and finishes it', async () => {
      const first = await start();
      const d1 = new CallDriver(await connect(first));
      await d1.start('13800000001');
      await d1.decide('continue', undefined, 'confirm-reason');
      const warn = await d1.decide('continue', { reason: 'travel' }, 'warn');
      const { callId, seq } = warn.data;

      await first.kill('SIGKILL');

      const second = await start(first.dataDir);
      const token = await login(second.baseUrl, 'agent1');
      const d2 = new CallDriver(await connect(second));
      const attached = await d2.attach(callId);
      expectStep(attached, 'warn', 'after restart');
      expect(attached.data.seq).toBe(seq);
      expect(attached.data.status).toBe('active');

      await d2.decide('acknowledged', undefined, 'upsell');
      await d2.decide('decline', undefined, 'verify');
      await d2.verifyByPassword();
      await d2.executeToRemind();
      await d2.finishFromRemind();
      d2.expectConsecutiveSeq();
      await expectDeterministicReplay(second.baseUrl, token, callId);
    });

    it('completes an in-flight back-end call after SIGKILL right after the execute decision', async () => {
      // Slow back end (300 ms, still under BACKEND_TIMEOUT_MS) so the kill lands while the
      // execution call is in flight and its reply is not yet in the log.
      const first = await start(undefined, { SIM_LATENCY_MS: '300' });
      const d1 = new CallDriver(await connect(first));
      await d1.start('13800000001');
      await d1.toVerify('travel');
      await d1.verifyByPassword();
      const executing = await d1.decide('execute', undefined, 'executing');
      const { callId } = executing.data;
      await first.kill('SIGKILL');
      expect(d1.client.history.some((f) => f.event === 'call.view' && f.data?.step?.id === 'remind')).toBe(false);

      const second = await start(first.dataDir);
      const token = await login(second.baseUrl, 'agent1');
      const d2 = new CallDriver(await connect(second));
      const attached = await d2.attach(callId);
      if (process.env.E2E_VERBOSE) console.log(`after restart the in-flight call is at '${attached.data.step.id}'`);
      expect(['executing', 'remind']).toContain(attached.data.step.id);
      expect(attached.data.seq).toBeGreaterThanOrEqual(executing.data.seq);
      if (attached.data.step.id === 'executing') {
        expect(attached.data.seq).toBe(executing.data.seq);
        await d2.pushed('remind', 10_000);
      }
      expect(d2.view.data.seq).toBe(executing.data.seq + 1);
      await d2.finishFromRemind();
      d2.expectConsecutiveSeq();

      const call = await getCall(second.baseUrl, token, callId);
      // At-least-once back-end calls, but exactly one logged reply for the execution.
      expect(call.events.filter((e: any) => e.type === 'backend.reply' && e.stateBefore === 'executing')).toHaveLength(1);
      await expectDeterministicReplay(second.baseUrl, token, callId);
    });
  });

  describe('tamper detection', () => {
    it('replay reports a divergence at a decision edited in the database', async () => {
      const s = await start();
      const token = await login(s.baseUrl, 'agent1');
      const d = new CallDriver(await connect(s));
      await d.start('13800000001');
      await d.toVerify('travel');
      await d.verifyByPassword();
      await d.executeToRemind();
      await d.finishFromRemind();
      await expectDeterministicReplay(s.baseUrl, token, d.callId);

      const db = new Database(path.join(s.dataDir, 'laihua.sqlite'), { timeout: 5000 });
      let tamperedSeq: number;
      try {
        const row = db
          .prepare(
            `SELECT seq, payload FROM call_events
              WHERE call_id = ? AND type = 'decision' AND state_before = 'verify'`,
          )
          .get(d.callId) as { seq: number; payload: string } | undefined;
        expect(row).toBeDefined();
        const payload = JSON.parse(row!.payload);
        expect(payload.option).toBe('password');
        payload.option = 'forgot-password';
        // The schema guards the log with triggers (see the next test); a tamperer with the file
        // drops them, edits, and puts them back.
        const changes = withoutCallEventTriggers(
          db,
          () => db.prepare('UPDATE call_events SET payload = ? WHERE call_id = ? AND seq = ?').run(JSON.stringify(payload), d.callId, row!.seq).changes,
        );
        expect(changes).toBe(1);
        tamperedSeq = Number(row!.seq);
      } finally {
        db.close();
      }

      const result = await replayCall(s.baseUrl, token, d.callId);
      expect(result.callId).toBe(d.callId);
      expect(result.deterministic).toBe(false);
      expect(Array.isArray(result.divergences)).toBe(true);
      expect(result.divergences.length).toBeGreaterThan(0);
      expect(result.divergences[0].seq).toBe(tamperedSeq);
      expect(result.chain).toEqual({ intact: false, brokenAt: { seq: tamperedSeq, reason: expect.any(String) } });
    });

    it('a stored event altered while the server is down breaks the hash chain exactly there, even when it replays the same', async () => {
      const first = await start();
      const c = await connect(first);
      const tampered = new CallDriver(c);
      await tampered.start('13800000001');
      await tampered.toVerify('travel');
      await tampered.verifyByPassword();
      await tampered.executeToRemind();
      await tampered.finishFromRemind();
      const untouched = new CallDriver(c);
      await untouched.start('13800000004');
      await untouched.decide('continue', undefined, 'confirm-reason');
      const events = (await getCall(first.baseUrl, await login(first.baseUrl, 'agent1'), tampered.callId)).events;
      expect(events[0]).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
      await first.stop();

      // A back-end reply's latency: re-execution cannot see it, the chain does.
      const db = new Database(path.join(first.dataDir, 'laihua.sqlite'), { timeout: 5000 });
      let tamperedSeq: number;
      try {
        const row = db
          .prepare(`SELECT seq, payload FROM call_events WHERE call_id = ? AND type = 'backend.reply' ORDER BY seq LIMIT 1`)
          .get(tampered.callId) as { seq: number; payload: string };
        const payload = JSON.parse(row.payload);
        payload.latencyMs = Number(payload.latencyMs) + 1000;
        const changes = withoutCallEventTriggers(
          db,
          () => db.prepare('UPDATE call_events SET payload = ? WHERE call_id = ? AND seq = ?').run(JSON.stringify(payload), tampered.callId, row.seq).changes,
        );
        expect(changes).toBe(1);
        tamperedSeq = Number(row.seq);
        expect(tamperedSeq).toBeGreaterThan(1);
        expect(tamperedSeq).toBeLessThan(events.length);
      } finally {
        db.close();
      }

      const second = await start(first.dataDir);
      const token = await login(second.baseUrl, 'qa1');
      const result = await replayCall(second.baseUrl, token, tampered.callId);
      expect(result).toMatchObject({ callId: tampered.callId, deterministic: true, divergences: [] });
      expect(result.chain).toEqual({ intact: false, brokenAt: { seq: tamperedSeq, reason: 'the hash does not match the event content' } });

      // The untouched call (recovered at boot, still active) is intact, and its chain goes on after the restart.
      const d2 = new CallDriver(await connect(second));
      await d2.attach(untouched.callId);
      await d2.decide('continue', { reason: 'travel' }, 'warn');
      const untouchedReplay = await replayCall(second.baseUrl, token, untouched.callId);
      expect(untouchedReplay).toMatchObject({ deterministic: true, chain: { intact: true, brokenAt: null } });
    });

    it('the database itself refuses UPDATE and DELETE on call_events', async () => {
      const s = await start();
      const d = new CallDriver(await connect(s));
      await d.start('13800000001');
      await d.decide('continue', undefined, 'confirm-reason');
      const db = new Database(path.join(s.dataDir, 'laihua.sqlite'), { timeout: 5000 });
      try {
        const count = () => (db.prepare('SELECT COUNT(*) AS n FROM call_events WHERE call_id = ?').get(d.callId) as { n: number }).n;
        const before = count();
        expect(before).toBeGreaterThan(0);
        expect(() => db.prepare(`UPDATE call_events SET type = 'x' WHERE call_id = ?`).run(d.callId)).toThrow(/append-only/);
        expect(() => db.prepare('DELETE FROM call_events WHERE call_id = ?').run(d.callId)).toThrow(/append-only/);
        expect(count()).toBe(before);
      } finally {
        db.close();
      }
    });
  });
});
