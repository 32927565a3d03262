/**
 * End-of-call work (QA checks, metrics facts and rollups) is done by the worker thread from the
 * durable outbox, exactly once, whatever happens to the server meanwhile:
 *  (a) the server is SIGKILLed while the worker has a backlog (calls ended, not yet processed,
 *      and calls in progress), twice, and restarted on the same data;
 *  (b) the disk fills up while calls end (the worker's writes are refused with SQLITE_FULL and it
 *      retries with backoff), then space is freed.
 * Afterwards every ended call has its QA checks and metrics exactly once, and the tables hold the
 * same numbers as a run without faults: the same calls traced from their logs and processed in one
 * go by a server on a copy of the data with the results wiped (compare every metrics table and the
 * QA results), no processed row keeps its trace (the caller's number and profile), and each
 * call's stored checks are the checks of its replay from the log (GET /api/qa/calls/:id/replay).
 * The worker is slowed down (END_OF_CALL_PAUSE_MS, one call per batch) to keep a backlog to kill.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCallChecks } from '../../src/qa/qa-checks';
import { http, login } from '../support/client';
import { type EndOfCallBacklog, endOfCallBacklog } from '../support/backlog';
import { MetricsCalls } from '../support/metrics-calls';
import { sleep, until } from '../support/poll';
import { REPO_ROOT, startServer, type TestServer } from '../support/server';
import { canMountTmpfs, tmpfsDataDir } from '../support/tmpfs';
import { type ServerFixture, useServer } from '../support/use-server';

const CHECKS = loadCallChecks(path.join(REPO_ROOT, 'flows/qa/call-checks.json'));
const SLOW_WORKER = { END_OF_CALL_PAUSE_MS: '1500', END_OF_CALL_BATCH: '1', SIM_LATENCY_MS: '5', WS_RATE_PER_CONNECTION: '0', WS_RATE_PER_USER: '0' };
const dbFile = (dataDir: string) => path.join(dataDir, 'laihua.sqlite');

function read<T>(dataDir: string, sql: string): T[] {
  const db = new Database(dbFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Every row the worker writes, sorted (QA results without the time they were checked). */
function results(db: Database.Database): Record<string, string[]> {
  const dump = (sql: string) =>
    db
      .prepare(sql)
      .all()
      .map((r) => JSON.stringify(r))
      .sort();
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'metric_%' ORDER BY name`).all() as { name: string }[]).map(
    (t) => t.name,
  );
  return {
    ...Object.fromEntries(tables.map((t) => [t, dump(`SELECT * FROM "${t}"`)])),
    call_check_results: dump(`SELECT call_id, check_id, applicable, passed, findings FROM call_check_results`),
    call_outbox: dump(`SELECT call_id, processed_at IS NOT NULL AS done FROM call_outbox`),
  };
}

/**
 * The run without faults: the same ended calls processed in one go by an undisturbed server, on a
 * copy of the data with every result wiped and the outbox as calls that ended before it existed
 * left it (no traces: the worker drops a call's trace with the commit that processes it). Booting,
 * that server traces each call from its log and the worker processes them, so this compares the
 * traces the calls carried through the faults with their logs' replay as well.
 */
async function withoutFaults(dataDir: string): Promise<Record<string, string[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-eoc-reference-'));
  let reference: TestServer | undefined;
  try {
    // The server's own keys (payloads, pseudonyms, tokens) go with the copy.
    for (const f of fs.readdirSync(dataDir)) if (!f.startsWith('laihua.sqlite')) fs.copyFileSync(path.join(dataDir, f), path.join(dir, f));
    const source = new Database(dbFile(dataDir), { readonly: true, fileMustExist: true });
    await source.backup(dbFile(dir));
    source.close();
    const db = new Database(dbFile(dir));
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'metric_%'`).all() as { name: string }[]).map((t) => t.name);
    for (const t of [...tables, 'call_check_results']) db.exec(`DELETE FROM "${t}"`);
    db.exec(`UPDATE call_outbox SET trace = NULL, processed_at = NULL, attempts = 0, last_error = NULL`);
    db.close();
    reference = await startServer({ dataDir: dir });
    const server = reference;
    await until(
      'the reference server to trace and process every call',
      () => backlog(server.baseUrl),
      (b) => b.pending === 0,
      60_000,
    );
    await reference.stop();
    const done = new Database(dbFile(dir), { readonly: true });
    const processed = results(done);
    done.close();
    return processed;
  } finally {
    reference?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The backlog read after this was asked (test/support/backlog.ts). */
const backlog = (baseUrl: string): Promise<EndOfCallBacklog> => endOfCallBacklog(baseUrl);

/** Every ended call has its QA results and metrics once, the same as without faults and as its replay's checks. */
async function expectExactlyOnce(server: ServerFixture, endedCalls: string[]): Promise<void> {
  await until(
    'the outbox to drain',
    () => backlog(server.baseUrl),
    (b) => b.pending === 0,
    60_000,
  );
  const dataDir = server.dataDir;
  const ended = read<{ id: string }>(dataDir, `SELECT id FROM calls WHERE status != 'active'`).map((c) => c.id);
  expect(ended.sort()).toEqual([...new Set(endedCalls)].sort());
  const perCall = read<{ id: string; outbox: number; facts: number; checks: number }>(
    dataDir,
    `SELECT c.id,
      (SELECT COUNT(*) FROM call_outbox o WHERE o.call_id = c.id AND o.processed_at IS NOT NULL) AS outbox,
      (SELECT COUNT(*) FROM metric_calls m WHERE m.call_id = c.id) AS facts,
      (SELECT COUNT(*) FROM call_check_results r WHERE r.call_id = c.id) AS checks
     FROM calls c WHERE c.status != 'active'`,
  );
  expect(perCall.filter((c) => c.outbox !== 1 || c.facts !== 1 || c.checks !== CHECKS.checks.length)).toEqual([]);
  expect(read(dataDir, `SELECT call_id FROM call_outbox WHERE processed_at IS NOT NULL AND trace IS NOT NULL`)).toEqual([]);
  const [{ calls }] = read<{ calls: number }>(dataDir, `SELECT SUM(calls) AS calls FROM metric_rollup_flows WHERE grain = 'day'`);
  expect(calls).toBe(ended.length);

  const db = new Database(dbFile(dataDir), { readonly: true, fileMustExist: true });
  const stored = results(db);
  db.close();
  expect(stored).toEqual(await withoutFaults(dataDir));

  const qa = await login(server.baseUrl, 'qa1');
  for (const id of ended) {
    const replay = await http(server.baseUrl, 'GET', `/api/qa/calls/${id}/replay`, { token: qa });
    const fromLog = (replay.body as { checks: { id: string; applicable: boolean; passed: boolean; findings: unknown[] }[] }).checks;
    const rows = read<{ id: string; applicable: number; passed: number; findings: string }>(
      dataDir,
      `SELECT check_id AS id, applicable, passed, findings FROM call_check_results WHERE call_id = '${id}' ORDER BY check_id`,
    );
    expect(rows.map((r) => ({ id: r.id, applicable: !!r.applicable, passed: !!r.passed, findings: JSON.parse(r.findings) }))).toEqual(
      fromLog.map(({ id: checkId, applicable, passed, findings }) => ({ id: checkId, applicable, passed, findings })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  }
}

/** A mix of calls with known outcomes, each to its end; returns their ids. */
async function someCalls(calls: MetricsCalls, n: number, offset = 0): Promise<string[]> {
  const kinds = [
    () => calls.completed('agent1', '13800000001'),
    () => calls.notEligible('agent2', '13800000002'),
    () => calls.abandoned('agent1', '13800000003'),
    () => calls.acceptedOffer('agent2', '13800000004'),
  ];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await kinds[(i + offset) % kinds.length]());
  return ids;
}

describe('end-of-call work from the outbox: exactly once through crashes and a full disk', () => {
  const server = useServer({ lifetime: 'per-test', users: ['agent1', 'agent2'] });
  const undo: (() => void)[] = [];
  afterEach(() => {
    for (const u of undo.splice(0).reverse()) {
      try {
        u();
      } catch {
        /* best effort */
      }
    }
  });

  it('(a) SIGKILL while the worker has a backlog and calls are in progress, twice: every ended call processed once, the same numbers', async () => {
    await server.start({ env: SLOW_WORKER });
    const ended: string[] = [];
    for (let round = 0; round < 2; round++) {
      const calls = new MetricsCalls(server);
      ended.push(...(await someCalls(calls, 8, round)));
      // Two calls in progress at the kill: recovered after the restart, then hung up.
      const inProgress: string[] = [];
      for (const msisdn of ['13800000001', '13800000003']) {
        const d = await server.driver('agent1', 'en');
        await d.start(msisdn);
        await d.decideConfirming('continue', undefined, { expect: 'confirm-reason' });
        inProgress.push(d.callId);
      }
      // Kill mid-batch: some of the ended calls processed, some still pending.
      const seen = await until(
        'the worker to be part-way through',
        () => backlog(server.baseUrl),
        (b) => b.pending > 0,
        30_000,
      );
      expect(seen.pending).toBeGreaterThan(0);
      await server.kill('SIGKILL');
      const [{ pending }] = read<{ pending: number }>(server.dataDir, `SELECT COUNT(*) AS pending FROM call_outbox WHERE processed_at IS NULL`);
      expect(pending).toBeGreaterThan(0);
      await server.restart({ env: SLOW_WORKER });
      const client = await server.connect('agent1', 'en');
      for (const callId of inProgress) {
        const hungUp = await client.request('call.hangup', { callId });
        expect(hungUp.event).toBe('call.view');
        ended.push(callId);
      }
    }
    await server.restart({ signal: 'SIGKILL', env: {} });
    await expectExactlyOnce(server, ended);
  });

  const mountProblem = canMountTmpfs();

  (mountProblem ? it.skip : it)(
    `(b) the disk fills up while calls end (the worker's writes refused, retried), then space is freed: every ended call processed once${mountProblem ? ` (skipped: ${mountProblem})` : ''}`,
    async () => {
      const dataDir = tmpfsDataDir('laihua-eoc-full-', 24, undo);
      await server.start({ dataDir, env: SLOW_WORKER });
      const calls = new MetricsCalls(server);
      const ended = await someCalls(calls, 6);

      // Fill the file system to the last block.
      const ballast = path.join(dataDir, 'ballast');
      const fd = fs.openSync(ballast, 'w');
      for (const size of [64 * 1024, 512]) {
        const chunk = Buffer.alloc(size, 1);
        try {
          for (;;) fs.writeSync(fd, chunk);
        } catch (e) {
          expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
      }
      fs.closeSync(fd);

      // Calls keep ending until the log too is refused; calls the log refused to end are ended once space is back.
      const client = await server.connect('agent1', 'en');
      const notEnded: string[] = [];
      let refused = false;
      for (let i = 0; i < 2000 && !refused; i++) {
        const started = await client.request('call.start', { callerNumber: '13800000008', flowId: 'suspend-service' });
        if (started.event === 'call.error') {
          expect(started.data.code).toBe('LOG_UNAVAILABLE');
          refused = true;
          break;
        }
        const hungUp = await client.request('call.hangup', { callId: started.data.callId });
        if (hungUp.event === 'call.error') {
          expect(hungUp.data.code).toBe('LOG_UNAVAILABLE');
          notEnded.push(started.data.callId);
          refused = true;
        } else ended.push(started.data.callId);
      }
      expect(refused).toBe(true);
      // The worker was refused too, and keeps the calls pending (it says so, and the backlog shows it).
      await until(
        'the worker to be refused by the full disk',
        async () => server.output(),
        (out) => /end-of-call work failed \(SQLITE_(FULL|IOERR)/.test(out),
        60_000,
      );
      expect((await backlog(server.baseUrl)).pending).toBeGreaterThan(0);
      await sleep(500);

      fs.rmSync(ballast);
      for (const callId of notEnded) {
        const hungUp = await client.request('call.hangup', { callId });
        expect(hungUp.event).toBe('call.view');
        ended.push(callId);
      }
      await expectExactlyOnce(server, ended);
    },
  );
});
