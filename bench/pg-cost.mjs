#!/usr/bin/env node
// The database's cost per decision on PostgreSQL (docs/SCALE-OUT.md): statements, rows and WAL
// bytes, measured — not timed. A fresh database on the cluster at --url, one server on it, N
// suspend-service calls on the happy path one after another over one WebSocket; the counters are
// pg_stat_statements (per statement: calls, rows, WAL bytes) and the WAL position, reset after boot and
// and the WAL position (LSN), read once every call's end-of-call work (QA checks, metrics) has landed.
//
//   npx nest build && node bench/pg-cost.mjs --url postgres://postgres@127.0.0.1:5432/postgres --calls 20
//
// The cluster needs `shared_preload_libraries = pg_stat_statements` (test/support/pg-cluster.ts
// starts its throwaway clusters so) and should be otherwise idle: the WAL position counts the cluster.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';

import { HOST, Server, freePort, sleep } from './lib/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const clusterUrl = arg('url');
const CALLS = Number(arg('calls', '20'));
if (!clusterUrl) {
  console.error('usage: node bench/pg-cost.mjs --url postgres://user@host:port/postgres [--calls 20]');
  process.exit(2);
}

const PLAN = {
  'check-eligibility': { option: 'continue' },
  'confirm-reason': { option: 'continue', input: { reason: 'travel' } },
  warn: { option: 'acknowledged' },
  upsell: { option: 'decline' },
  verify: { option: 'password' },
  execute: { option: 'execute' },
  remind: { option: 'acknowledged' },
  close: { option: 'submit' },
};
const FINAL = new Set(['completed', 'not-eligible', 'offer-accepted', 'verification-locked', 'execution-failed']);

/** One whole call; resolves with the number of agent requests (start + decisions) it took. */
function oneCall(ws) {
  return new Promise((resolve, reject) => {
    let callId = null;
    let requests = 0;
    const send = (event, data) => {
      requests++;
      ws.send(JSON.stringify({ event, data: { requestId: randomUUID(), ...data } }));
    };
    const onMessage = (buf) => {
      const { event, data } = JSON.parse(buf.toString('utf8'));
      if (event === 'call.error') return done(new Error(`${data.code}: ${data.message}`));
      if (event !== 'call.view') return;
      callId ??= data.callId;
      if (data.callId !== callId) return;
      const step = data.step?.id;
      if (FINAL.has(step)) return done(null);
      const plan = PLAN[step];
      if (plan) send('call.decide', { callId, seq: data.seq, option: plan.option, ...(plan.input ? { input: plan.input } : {}) });
    };
    const done = (e) => {
      ws.off('message', onMessage);
      if (e) reject(e);
      else resolve(requests);
    };
    ws.on('message', onMessage);
    send('call.start', { callerNumber: '13800000001', flowId: 'suspend-service' });
  });
}

const db = (name) => {
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  return u.toString();
};

async function main() {
  const name = `laihua_cost_${Date.now()}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const stats = new pg.Client({ connectionString: db(name) });
  await stats.connect();
  await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-pg-cost-'));
  const server = new Server({
    port: await freePort(),
    dataDir,
    latency: 5,
    backendTimeout: null,
    verbose: false,
    nodeArgs: [],
    env: { DATABASE_URL: db(name), WS_RATE_PER_CONNECTION: '0' },
  });
  try {
    await server.waitHealthy(60_000);
    const token = await server.login();
    const ws = new WebSocket(`ws://${HOST}:${server.port}/ws?token=${encodeURIComponent(token)}&locale=en`, { perMessageDeflate: false });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    await oneCall(ws); // warm-up: statements prepared, flow versions cached
    const settled = async (n) => {
      for (let i = 0; i < 300; i++) {
        const { rows } = await stats.query(
          'SELECT (SELECT count(*) FROM metric_calls)::int AS m, (SELECT count(DISTINCT call_id) FROM call_check_results)::int AS q',
        );
        if (rows[0].m >= n && rows[0].q >= n) return;
        await sleep(100);
      }
      throw new Error('end-of-call work did not land');
    };
    await settled(1);
    await sleep(500);
    await stats.query('SELECT pg_stat_statements_reset()');
    const lsn0 = (await stats.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn;
    const events0 = (await stats.query('SELECT count(*)::int AS n FROM call_events')).rows[0].n;
    let requests = 0;
    for (let i = 0; i < CALLS; i++) requests += await oneCall(ws);
    await settled(CALLS + 1);
    await sleep(500);
    const walBytes = Number((await stats.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn0])).rows[0].n);
    const events = (await stats.query('SELECT count(*)::int AS n FROM call_events')).rows[0].n - events0;
    const { rows } = await stats.query(
      `SELECT query, calls::int AS calls, rows::int AS rows, wal_bytes::bigint AS wal FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat%' AND query NOT LIKE '%count(%'`,
    );
    ws.close();
    const kind = (q) =>
      /INSERT INTO call_events|INSERT INTO calls|DISTINCT ON \(call_id\)/.test(q)
        ? 'decision log (events, call rows)'
        : /^(BEGIN|COMMIT|ROLLBACK)/i.test(q.trim())
          ? 'BEGIN / COMMIT'
          : /metric_/.test(q)
            ? 'metrics (facts, rollups)'
            : /call_check_results/.test(q)
              ? 'QA check results'
              : /^\s*SELECT/i.test(q)
                ? 'other reads'
                : 'other writes';
    const by = new Map();
    for (const r of rows) {
      const k = kind(r.query);
      const t = by.get(k) ?? { statements: 0, rows: 0, wal: 0 };
      t.statements += r.calls;
      t.rows += r.rows;
      t.wal += Number(r.wal);
      by.set(k, t);
    }
    const per = (x) => (x / requests).toFixed(2);
    console.log(
      `laihua PostgreSQL cost — ${new Date().toISOString()}: ${CALLS} suspend-service calls, ${requests} agent requests (start + decisions), ${events} logged events`,
    );
    console.log(`\n| statements of | statements | per request | rows | WAL bytes | WAL bytes per request |\n|---|--:|--:|--:|--:|--:|`);
    const total = { statements: 0, rows: 0, wal: 0 };
    for (const [k, t] of [...by].sort()) {
      console.log(`| ${k} | ${t.statements} | ${per(t.statements)} | ${t.rows} | ${t.wal} | ${per(t.wal)} |`);
      total.statements += t.statements;
      total.rows += t.rows;
      total.wal += t.wal;
    }
    console.log(`| **all** | ${total.statements} | ${per(total.statements)} | ${total.rows} | ${total.wal} | ${per(total.wal)} |`);
    console.log(
      `\nWAL written (cluster, LSN difference): ${walBytes} bytes = ${per(walBytes)} per request, ${(walBytes / events).toFixed(0)} per logged event`,
    );
    const log = by.get('decision log (events, call rows)');
    console.log(
      `decision log alone: ${(log.wal / events).toFixed(0)} WAL bytes and ${(log.statements / events).toFixed(2)} statements per logged event (plus BEGIN/COMMIT per batch)`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await stats.end();
    await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
