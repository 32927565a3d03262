/**
 * The write-ahead log stays bounded on the real server (SQLite): with WAL_RESTART_MIB=1, calls logged
 * back to back make the log's writer thread checkpoint and start the log over (docs/PERFORMANCE.md,
 * "the write-ahead log"); the file stays near the limit, the metric counts the restarts, and every
 * call's log is whole — each replays deterministically with its hash chain intact, also after a restart
 * of the server on the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { http } from '../support/client';
import { suspendCallsInRounds } from '../support/flow';
import { parseMetrics } from '../support/prometheus-text';
import { useServer } from '../support/use-server';

const MiB = 1024 * 1024;
const CALLS = 48;

describe('WAL_RESTART_MIB: the write-ahead log started over under back-to-back commits', () => {
  const TOKEN = 'scrape-secret-wal-restart-01';
  const server = useServer({
    env: {
      WAL_RESTART_MIB: '1',
      METRICS_TOKEN: TOKEN,
      NODE_ID: 'wal-1',
      WS_RATE_PER_CONNECTION: '0',
      WS_RATE_PER_USER: '0',
      SIM_LATENCY_MS: '1',
      LOG_COMMIT_INTERVAL_MS: '0',
    },
  });

  const restarts = async () => {
    const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const m = parseMetrics(await res.text(), 'wal-1');
    return {
      restarted: m.get('laihua_log_wal_restart_seconds_count{outcome="restarted"}') ?? 0,
      failed: m.get('laihua_log_wal_restart_seconds_count{outcome="failed"}') ?? 0,
      copied: m.get('laihua_log_wal_copy_seconds_count{outcome="copied"}') ?? 0,
    };
  };
  const walBytes = () => fs.statSync(path.join(server.dataDir, 'laihua.sqlite-wal')).size;

  it('many calls: the log is restarted (counted), its file stays near the limit, and every call replays whole', async () => {
    const agents = await Promise.all([server.connect('agent1'), server.connect('agent2')]);
    let largest = 0;
    const callIds = await suspendCallsInRounds(agents, CALLS, () => (largest = Math.max(largest, walBytes())));
    const counted = await restarts();
    expect(counted.restarted).toBeGreaterThanOrEqual(1);
    expect(counted.failed).toBe(0);
    // Each restart was left only what the copying thread had not yet copied back.
    expect(counted.copied).toBeGreaterThanOrEqual(1);
    // Looked at every 16 commits: never far past the limit (without restarts these calls write several MiB).
    expect(largest).toBeLessThan(2 * MiB);

    const replayAll = async () => {
      const token = await server.token('supervisor1');
      for (const id of callIds) {
        const r = await http(server.baseUrl, 'POST', `/api/calls/${id}/replay`, { token });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ deterministic: true, chain: { intact: true } });
      }
    };
    await replayAll();
    // The server restarted on the same file: every call is still there, whole.
    await server.restart();
    await replayAll();
  });
});
