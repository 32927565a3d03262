// What one chain-anchor checkpoint costs the main thread (ChainAnchorService, every
// CHAIN_ANCHOR_INTERVAL_MS = 60 s by default): a migrated SQLite log gets EVENTS new events over
// CALLS calls (a minute of the open-loop bench's load is ~180,000 events over ~3,000 calls), then
// one checkpoint runs while a 1 ms timer watches the event loop. Prints, per run, the checkpoint's
// wall time, the process's CPU during it (every thread), how long the main thread was busy (event-loop
// utilization, the timer's own turns included) and the longest the timer was held; then medians.
//   node bench/anchor-checkpoint.mjs [--events 180000] [--calls 3000] [--runs 5] — after `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { DataSource } = require('typeorm');
const { MIGRATIONS } = require(path.join(ROOT, 'dist/database/migrations'));
const { loadConfig } = require(path.join(ROOT, 'dist/config/app-config'));
const { ChainAnchorService } = require(path.join(ROOT, 'dist/anchoring/chain-anchor.service'));
const { closeReader } = require(path.join(ROOT, 'dist/common/sqlite-reader'));

const { values } = parseArgs({
  options: { events: { type: 'string', default: '180000' }, calls: { type: 'string', default: '3000' }, runs: { type: 'string', default: '5' } },
});
const EVENTS = Number(values.events);
const CALLS = Number(values.calls);
const RUNS = Number(values.runs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function open(dir) {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dir, 'laihua.sqlite'),
    enableWAL: true,
    migrations: MIGRATIONS,
    migrationsRun: true,
  });
  await dataSource.initialize();
  return dataSource;
}

/** EVENTS rows spread round-robin over CALLS calls (as concurrent calls interleave in the log). */
function seed(dataSource, firstSeq) {
  const db = dataSource.driver.databaseConnection;
  db.pragma('foreign_keys = OFF');
  const insert = db.prepare(
    `INSERT INTO call_events (call_id, seq, type, payload, agent_id, flow_id, flow_version, state_after, at, hash, prev_hash) VALUES (?, ?, 'call.decide', '{}', 'agent1', 'bill-inquiry', 1, '"s"', '2026-12-07T00:00:00Z', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      const call = i % CALLS;
      const seq = firstSeq + Math.floor(i / CALLS);
      insert.run(`call-${call}`, seq, `h${call}-${seq}`.padEnd(64, '0'), `p${call}-${seq}`.padEnd(64, '0'));
    }
  })();
}

async function run(dir, round) {
  const dataSource = await open(dir);
  try {
    seed(dataSource, 1 + round * Math.ceil(EVENTS / CALLS));
    const anchors = new ChainAnchorService(loadConfig({ DATA_DIR: dir, CHAIN_ANCHOR_INTERVAL_MS: '3600000' }), dataSource);
    anchors.onApplicationBootstrap();
    let held = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      held = Math.max(held, now - last);
      last = now;
    }, 1);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await anchors.anchorNow();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const mainBusyMs = performance.eventLoopUtilization(elu0).active;
    clearInterval(probe);
    if (anchors.checkpoints !== 1) throw new Error(`expected one checkpoint, got ${anchors.checkpoints}`);
    clearInterval(anchors.timer);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainBusyMs, heldMs: held };
  } finally {
    await closeReader(dataSource);
    await dataSource.destroy();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'laihua-anchor-'));
try {
  console.log(`chain-anchor checkpoint: ${EVENTS} events over ${CALLS} calls since the last one, ${RUNS} runs`);
  const results = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(dir, r);
    results.push(res);
    console.log(
      `  run ${r + 1}: wall ${res.wallMs.toFixed(1)} ms, main-thread CPU ${res.cpuMs.toFixed(1)} ms, event loop held at most ${res.heldMs.toFixed(1)} ms`,
    );
  }
  const m = (k) => median(results.map((x) => x[k])).toFixed(1);
  console.log(`median: wall ${m('wallMs')} ms, CPU ${m('cpuMs')} ms, main thread busy ${m('mainBusyMs')} ms, longest hold ${m('heldMs')} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
