#!/usr/bin/env node
// What the end-of-call work costs per call (issue 15: "make that work cheap too"): N catalogue calls
// are run to their end through a real server whose end-of-call worker is held back (a long pause
// after its first batch), so their outbox rows stay pending; the server is stopped, and the pending
// rows are then processed from a copy of its SQLite file by the worker's own processor
// (dist/end-of-call/end-of-call-processor.js: QA checks, metrics facts and rollups, in batches),
// in this process, one thread, on a connection set as the worker sets its own (synchronous NORMAL;
// EOC_SYNCHRONOUS=FULL for the old setting). Each round starts from a fresh copy of the file; the figure is the
// median of the rounds after a cold one. Reported: calls/s, CPU ms per call, SQL statements per call.
//
//   npx nest build && node bench/end-of-call.mjs --calls 3000 --batch 4
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/end-of-call.mjs --calls 1000 --rounds 1

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { ROOT, round } from './lib/harness.mjs';
import { logEndedCalls } from './lib/replay-phase.mjs';
import { loadScripts } from './lib/open-loop-schedule.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    server: { type: 'string', default: path.join(ROOT, 'dist/main.js') },
    verbose: { type: 'boolean', default: false },
  },
});
const calls = Number(args.calls);
const batch = Number(args.batch);
const rounds = Number(args.rounds);
const require = createRequire(path.join(ROOT, 'package.json'));
const dist = (p) => require(path.join(path.dirname(args.server), p));

async function main() {
  console.log(`laihua end-of-call bench — ${new Date().toISOString()}, node ${process.version}, calls ${calls}, batch ${batch}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-end-of-call-'));
  try {
    const scripts = await loadScripts();
    // The worker takes one batch of one call at start and then pauses for a minute: the rest stay pending.
    await logEndedCalls(scripts, calls, { verbose: args.verbose, nodeArgs: [], server: args.server }, dataDir, {
      END_OF_CALL_BATCH: '1',
      END_OF_CALL_PAUSE_MS: '60000',
    });
    const Database = require('better-sqlite3');
    const { EndOfCallProcessor } = dist('end-of-call/end-of-call-processor.js');
    const { ownSqlPort } = dist('common/sql-port.js');
    const { loadCallChecks } = dist('qa/call-checks.js');
    const checks = loadCallChecks(path.join(ROOT, 'flows/qa/call-checks.json'));
    const numberKey = readFileSync(path.join(dataDir, 'metrics-number-key'), 'utf8').trim();
    const source = path.join(dataDir, 'laihua.sqlite');

    const results = [];
    for (let r = 0; r < 1 + rounds; r++) {
      const file = path.join(dataDir, `round-${r}.sqlite`);
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(source + suffix)) copyFileSync(source + suffix, file + suffix);
      const db = new Database(file, { fileMustExist: true });
      db.pragma(`synchronous = ${process.env.EOC_SYNCHRONOUS ?? 'NORMAL'}`);
      let statements = 0;
      const prepare = db.prepare.bind(db);
      const counted = new Map();
      // Count statements run (each prepare is cached by the port; count executions through the statement's methods).
      db.prepare = (text) => {
        const stmt = prepare(text);
        const key = text.trim().split(/\s+/).slice(0, 3).join(' ');
        for (const m of ['run', 'get', 'all']) {
          const f = stmt[m].bind(stmt);
          stmt[m] = (...a) => {
            statements++;
            counted.set(key, (counted.get(key) ?? 0) + 1);
            return f(...a);
          };
        }
        return stmt;
      };
      const spaceBefore = tableSpace(db);
      const processor = new EndOfCallProcessor(ownSqlPort({ sqlite: db }), checks, numberKey);
      const pending = await processor.pending();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let done = 0;
      for (;;) {
        const n = await processor.processBatch(batch);
        if (!n) break;
        done += n;
      }
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const space = { before: spaceBefore, after: tableSpace(db) };
      db.close();
      results.push({ pending, done, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, statements, counted, space });
      rmSync(file, { force: true });
      for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
    const [cold, ...warm] = results;
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const done = warm[0]?.done ?? cold.done;
    const callsPerS = median(warm.map((r) => r.done / (r.wallMs / 1000)));
    const cpuPerCall = median(warm.map((r) => r.cpuMs / r.done));
    console.log('');
    console.log(
      `END-OF-CALL — ${done} ended calls pending in the outbox, processed in batches of ${batch}, one thread, median of ${rounds} rounds after a cold one`,
    );
    console.log(
      `  ${round(callsPerS, 0)} calls/s; ${round(cpuPerCall, 3)} ms CPU per call; ${round(warm[0].statements / done, 1)} SQL statements per call (cold round ${round(cold.done / (cold.wallMs / 1000), 0)} calls/s)`,
    );
    const { before, after } = warm[0].space;
    console.log(
      `  outbox table: ${round(before.bytes / done / 1024, 2)} KiB per call pending, ${round(after.bytes / done / 1024, 2)} KiB per call processed; pages free in the file after: ${after.freePages} (${round((after.freePages * after.pageSize) / 1024 / 1024, 1)} MiB, reused by the next writes)`,
    );
    const top = [...warm[0].counted].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  statements per call by kind: ${top.map(([k, n]) => `${k.slice(0, 40)} ${round(n / done, 1)}`).join('; ')}`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Bytes the outbox table and its overflow pages take (SQLite's dbstat), and the file's free pages. */
function tableSpace(db) {
  const { bytes } = db.prepare(`SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name = 'call_outbox'`).get();
  return { bytes, freePages: db.pragma('freelist_count', { simple: true }), pageSize: db.pragma('page_size', { simple: true }) };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
