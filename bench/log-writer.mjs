#!/usr/bin/env node
// The decision log's writer alone: CPU per event of the server's own SqliteLogWriter (dist/decision-log)
// on a file with the server's schema (the built migrations), by batch size — what one commit costs
// and what each event adds. The writer thread runs exactly this code; here it runs in-process, so
// process CPU is the writer's. Batches are interleaved over the sizes in rounds, so drifting
// machine load hits every size alike.
//
//   npx nest build && node bench/log-writer.mjs                   # sizes 1,2,4,8,16,64; synchronous FULL
//   node bench/log-writer.mjs --sizes 1,8 --events 20000 --sync NORMAL --dist dist-before
//
// Each call: a start event, ~8 decisions, an end event (with its end-of-call outbox row, as the
// server writes it). Payloads are shaped like the server's (choices, inputs, back-end replies).

import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
};
const SIZES = String(arg('sizes', '1,2,4,8,16,64')).split(',').map(Number);
const EVENTS = Number(arg('events', 30000)); // per size
const SYNC = String(arg('sync', 'FULL'));
const DIST = path.resolve(arg('dist', path.join(ROOT, 'dist')));
const EVENTS_PER_CALL = 10;

for (const f of ['database/migrations/index.js', 'decision-log/sqlite-log-writer.js']) {
  if (!existsSync(path.join(DIST, f))) throw new Error(`${DIST}/${f} missing: run \`npx nest build\` first`);
}
const Database = require('better-sqlite3');
const { DataSource } = require('typeorm');
const { MIGRATIONS } = require(path.join(DIST, 'database/migrations/index.js'));
const { SqliteLogWriter } = require(path.join(DIST, 'decision-log/sqlite-log-writer.js'));

const STATES = ['greet', 'identify', 'verify-id', 'ask-need', 'confirm', 'executing', 'offer', 'summary', 'wrap-up', 'ended'];

/** One call's appends, as the engine makes them (event + the call's summary after it). */
function callRows(n) {
  const callId = `c-${n.toString(36).padStart(8, '0')}`;
  const t0 = Date.UTC(2026, 11, 3, 8) + n * 1000;
  const call = {
    id: callId,
    flowId: 'suspend-service',
    flowVersion: 3,
    agentId: `agent${n % 2000}`,
    callerNumber: `138${String(n % 1e8).padStart(8, '0')}`,
    status: 'active',
    outcome: null,
    outcomeDetail: null,
    state: 'greet',
    currentFlowId: 'suspend-service',
    currentFlowVersion: 3,
    seq: 0,
    startedAt: new Date(t0).toISOString(),
    updatedAt: new Date(t0).toISOString(),
    endedAt: null,
  };
  const rows = [];
  for (let seq = 1; seq <= EVENTS_PER_CALL; seq++) {
    const at = new Date(t0 + seq * 4000).toISOString();
    const last = seq === EVENTS_PER_CALL;
    const type = seq === 1 ? 'call.started' : last ? 'decision' : seq % 3 === 0 ? 'backend.reply' : 'decision';
    const payload =
      type === 'call.started'
        ? {
            callerNumber: call.callerNumber,
            customer: { name: '张三', region: '上海', brand: 'gotone', tier: 'gold', services: ['intl-long-distance', 'caller-id'] },
          }
        : type === 'backend.reply'
          ? { operation: 'suspendLine', idempotencyKey: `${callId}:${seq}`, ok: true, result: { orderId: `WO-${n}-${seq}`, effectiveAt: at } }
          : { option: `option-${seq}`, inputs: { reason: 'travel', until: '2027-01-15' }, clientSeq: seq };
    const stateBefore = STATES[seq - 2] ?? null;
    const state = STATES[seq - 1];
    const summary = {
      ...call,
      state,
      seq,
      updatedAt: at,
      ...(last ? { status: 'completed', outcome: 'resolved', outcomeDetail: { reason: 'done' }, endedAt: at } : {}),
    };
    const event = {
      callId,
      seq,
      type,
      payload,
      agentId: call.agentId,
      flowId: 'suspend-service',
      flowVersion: 3,
      stateBefore,
      flowIdAfter: 'suspend-service',
      flowVersionAfter: 3,
      stateAfter: state,
      at,
    };
    rows.push({ event, call: summary, ...(last ? { outbox: JSON.stringify({ callId, entries: STATES.map((s) => ({ stepId: s, at })) }) } : {}) });
  }
  return rows;
}

/** Rows of many interleaved calls (as agents decide concurrently): 200 calls in flight at a time. */
function* interleaved(firstCall) {
  const IN_FLIGHT = 200;
  let next = firstCall;
  const open = [];
  for (;;) {
    while (open.length < IN_FLIGHT) open.push(callRows(next++));
    for (const rows of open) yield rows.shift();
    for (let i = open.length - 1; i >= 0; i--) if (!open[i].length) open.splice(i, 1);
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'laihua-logwriter-'));
  const file = path.join(dir, 'log.sqlite');
  const ds = new DataSource({ type: 'better-sqlite3', database: file, migrations: MIGRATIONS, migrationsRun: true, entities: [] });
  await ds.initialize();
  await ds.destroy();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNC}`);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  const writer = new SqliteLogWriter(db);
  const sources = new Map(SIZES.map((size, i) => [size, interleaved(i * 10_000_000)]));
  const stats = new Map(SIZES.map((size) => [size, { events: 0, cpuMs: 0, wall: [] }]));
  // Rounds: each size commits batches worth ~2,000 events, then the next size; checkpoint between rounds (outside the timing).
  const ROUND = 2000;
  while ([...stats.values()].some((s) => s.events < EVENTS)) {
    for (const size of SIZES) {
      const s = stats.get(size);
      if (s.events >= EVENTS) continue;
      const source = sources.get(size);
      for (let done = 0; done < ROUND; done += size) {
        const batch = Array.from({ length: size }, () => source.next().value);
        const [t, cpu] = [performance.now(), process.cpuUsage()];
        const results = writer.write(batch);
        s.wall.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        s.cpuMs += (used.user + used.system) / 1000;
        s.events += size;
        if (results.some((r) => !r.ok)) throw new Error(`refused: ${JSON.stringify(results.find((r) => !r.ok))}`);
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`log writer (${DIST}), synchronous ${SYNC}, ${EVENTS.toLocaleString('en')} events per batch size, ${EVENTS_PER_CALL} events per call`);
  console.table(
    SIZES.map((size) => {
      const s = stats.get(size);
      return {
        'batch size': size,
        'CPU ms / event': Number((s.cpuMs / s.events).toFixed(4)),
        'CPU ms / commit': Number(((s.cpuMs / s.events) * size).toFixed(3)),
        'wall ms / commit (median)': Number(median(s.wall).toFixed(3)),
      };
    }),
  );
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, ${new Date().toISOString()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
