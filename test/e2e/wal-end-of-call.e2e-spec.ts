/**
 * The write-ahead log stays bounded while the end-of-call worker catches up with the log quiet
 * (SQLite; src/end-of-call/wal-keeping.ts). A backlog of ended calls is built with the worker held
 * back, then the server restarts: the worker works the backlog off at boot, with no call being
 * decided, so the log's writer never commits and never starts the log over itself. Before the fix
 * the log only grew, by ~130 KB per call (5.4 GB after 130,000 calls in the open-loop bench).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { endOfCallBacklog } from '../support/backlog';
import { suspendCallsInRounds } from '../support/flow';
import { sleep } from '../support/poll';
import { parseMetrics } from '../support/prometheus-text';
import { useServer } from '../support/use-server';

const MiB = 1024 * 1024;
const CALLS = 96;
const TOKEN = 'scrape-secret-wal-end-of-call-01';
const FAST = {
  SIM_LATENCY_MS: '1',
  WS_RATE_PER_CONNECTION: '0',
  WS_RATE_PER_USER: '0',
  WAL_RESTART_MIB: '1',
  END_OF_CALL_BATCH: '1',
  METRICS_TOKEN: TOKEN,
  NODE_ID: 'wal-eoc-1',
};

describe('the end-of-call worker starts the write-ahead log over when it is the one writing', () => {
  const server = useServer({ lifetime: 'per-test', users: ['agent1', 'agent2'] });

  it('a backlog worked off at boot, no call decided: the log stays near WAL_RESTART_MIB, and every ended call is processed once', async () => {
    // Held back: after its first call the worker rests a minute, so the ended calls pile up.
    await server.start({ env: { ...FAST, END_OF_CALL_PAUSE_MS: '60000' } });
    const agents = await Promise.all([server.connect('agent1'), server.connect('agent2')]);
    const callIds = await suspendCallsInRounds(agents, CALLS);
    for (const a of agents) a.close();

    // No periodic checkpoint either: what bounds the log now is the worker alone (in the open-loop
    // bench the checkpoints ran, and the log still grew: they never caught up with a worker writing flat out).
    await server.restart({ env: { ...FAST, END_OF_CALL_PAUSE_MS: '0', WAL_CHECKPOINT_INTERVAL_MS: '3600000' } });
    const wal = path.join(server.dataDir, 'laihua.sqlite-wal');
    let largest = 0;
    let pending = Infinity;
    const deadline = Date.now() + 60_000;
    while (pending > 0 && Date.now() < deadline) {
      largest = Math.max(largest, fs.statSync(wal, { throwIfNoEntry: false })?.size ?? 0);
      pending = (await endOfCallBacklog(server.baseUrl)).pending;
      await sleep(10);
    }
    largest = Math.max(largest, fs.statSync(wal, { throwIfNoEntry: false })?.size ?? 0);
    expect(pending).toBe(0);
    // Looked at after every batch (one call here): never far past the limit.
    expect(largest).toBeLessThan(2 * MiB);
    // …because the worker started it over itself: the log's writer committed nothing meanwhile.
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const m = parseMetrics(await res.text(), 'wal-eoc-1');
    expect(m.get('laihua_end_of_call_wal_restart_seconds_count{outcome="restarted"}') ?? 0).toBeGreaterThanOrEqual(1);
    expect(m.get('laihua_end_of_call_wal_restart_seconds_count{outcome="failed"}') ?? 0).toBe(0);
    expect(m.get('laihua_log_wal_restart_seconds_count{outcome="restarted"}') ?? 0).toBe(0);

    const db = new Database(path.join(server.dataDir, 'laihua.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const perCall = db
        .prepare(
          `SELECT c.id, (SELECT COUNT(*) FROM metric_calls m WHERE m.call_id = c.id) AS facts,
             (SELECT COUNT(*) FROM call_outbox o WHERE o.call_id = c.id AND o.processed_at IS NOT NULL) AS outbox
           FROM calls c WHERE c.status != 'active'`,
        )
        .all() as { id: string; facts: number; outbox: number }[];
      expect(perCall.map((c) => c.id).sort()).toEqual([...callIds].sort());
      expect(perCall.filter((c) => c.facts !== 1 || c.outbox !== 1)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
