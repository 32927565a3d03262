#!/usr/bin/env node
// The decision path, piece by piece, in process (docs/PERFORMANCE.md, "The decision path"): the
// catalogue's calls (the open-loop bench's scripts, back-end replies from the simulator) are run
// once through the server's own code from dist/ to make a corpus, then each piece is timed over
// the whole corpus, round after round:
//
//   validate  a `call.decide` frame: JSON.parse, the frame-shape check, the DTO pipe (class-transformer + class-validator)
//   advance   the step function (XState transition included), per input; call starts counted as inputs
//   render    renderView (zh-CN) of the call after each input
//   json      JSON.stringify of the `call.view` frame
//   hash      the hash chain: hashEvent (canonical JSON + sha256) per event
//   path      advance + hash + render + JSON in the engine's order (the view rendered from the progress the next input advances)
//   commit    SqliteDecisionLog.append of every event (group commit, synchronous=FULL, a temp file), in groups of --batch
//   idle      heap kept per idle call (LiveCall + its progress), after the first step of every script
//   kept      new bytes each input's progress keeps until the next input (shared parts counted once)
//
// Prints, per piece, the median CPU µs per operation over --rounds rounds (compare these on a
// shared machine), wall µs (median and best), and the bytes allocated per operation (heap growth
// in a round without GC: the young generation is made large enough). Runs ~1 min.
//
//   npx nest build && node bench/decision-path.mjs [--rounds 7] [--only advance,render] [--batch 16] [--json]
//   node bench/decision-path.mjs --dist /tmp/before/dist   # another build of the server (before/after)

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from './lib/harness.mjs';
import { buildCorpus, loadCatalogue } from './lib/decision-corpus.mjs';
import { measure as measurePiece } from './lib/piece-timing.mjs';

// A young generation large enough that a round allocates without a GC, so heap growth = bytes allocated.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const ROUNDS = Number(opt('--rounds', 7));
const BATCH = Number(opt('--batch', 16));
const ONLY = opt('--only', null)?.split(',');
const JSON_OUT = args.includes('--json');
const ALLOC_PROFILE = opt('--alloc-profile', null);
const log = (s) => process.stderr.write(`[decision-path] ${s}\n`);

const DIST = path.resolve(opt('--dist', path.join(ROOT, 'dist')));
const require = createRequire(path.join(ROOT, 'package.json'));
const dist = (p) => require(path.join(DIST, p));

// The server's code, as built
const { advance, beginCall } = dist('calls/step/index.js');
const { renderView } = dist('calls/call-view.js');
const { LiveCall } = dist('calls/live-call.js');
const { hashEvent, GENESIS } = dist('decision-log/hash-chain.js');
const { jsonShapeProblem } = dist('common/json-shape.js');
const validation = dist('common/validation.js');
const { CallDecideDto } = dist('realtime/dto/call-messages.dto.js');
const catalogue = loadCatalogue(dist);
const { resolver, businesses, titleOf } = catalogue;
const turn = () => new Promise((r) => setImmediate(r));
const measure = (name, round) => measurePiece(name, round, { rounds: ROUNDS, allocProfile: ALLOC_PROFILE === null ? 0 : Number(ALLOC_PROFILE) });

async function main() {
  const t0 = performance.now();
  const { calls, scripts, dropped } = await buildCorpus(dist, catalogue, log);
  const inputs = calls.reduce((n, c) => n + c.events.length, 0);
  const decisions = calls.reduce((n, c) => n + c.decideFrames.length, 0);
  log(`corpus: ${calls.length} calls of ${scripts} scripts (${dropped} did not run as scripted), ${inputs} events, ${decisions} decisions`);
  const want = (piece) => !ONLY || ONLY.includes(piece);
  const results = [];

  if (want('validate')) {
    // The pipe as Nest calls it for a frame (WsParamtype.PAYLOAD reaches pipes as 'body'); the server
    // runs it twice per frame (the global pipe, then the gateway's), the second time on the DTO the
    // first made (passed on unchecked since the twenty-sixth session).
    const pipe = validation.createValidationPipe();
    const metadata = { type: 'body', metatype: CallDecideDto, data: undefined };
    const frames = calls.flatMap((c) => c.decideFrames);
    results.push(
      await measure('validate (call.decide frame)', async () => {
        for (const frame of frames) {
          const message = JSON.parse(frame);
          if (jsonShapeProblem(message)) throw new Error('refused');
          await pipe.transform(await pipe.transform(message.data, metadata), metadata);
        }
        return frames.length;
      }),
    );
  }

  if (want('advance')) {
    results.push(
      await measure('advance (per input, starts included)', () => {
        let n = 0;
        for (const call of calls) {
          let progress = beginCall(resolver.at(call.flowId, call.start.at, call.start.customer.region), call.start).progress;
          for (const input of call.inputs) progress = advance(progress, input, resolver).progress;
          n += call.inputs.length + 1;
        }
        return n;
      }),
    );
  }

  const progresses = calls.flatMap((c) => c.progresses);
  if (want('render') || want('json')) {
    const render = () => progresses.map((p) => renderView(p, 'zh-CN', resolver, businesses, titleOf));
    if (want('render')) results.push(await measure('renderView (zh-CN)', () => render().length));
    if (want('json')) {
      const frames = render().map((view, i) => ({ event: 'call.view', data: { requestId: `r-${i}`, ...view } }));
      let size = 0;
      for (const f of frames) size += JSON.stringify(f).length;
      log(`mean call.view frame: ${Math.round(size / frames.length)} characters`);
      results.push(
        await measure('JSON.stringify (call.view frame)', () => {
          for (const f of frames) JSON.stringify(f);
          return frames.length;
        }),
      );
    }
  }

  if (want('hash')) {
    results.push(
      await measure('hashEvent (canonical JSON + sha256)', () => {
        let n = 0;
        for (const call of calls) {
          let prev = GENESIS;
          for (const event of call.events) prev = hashEvent(prev, event);
          n += call.events.length;
        }
        return n;
      }),
    );
  }

  if (want('path')) {
    // What the server does per input between the frame and the send, in order: the view of the call
    // is rendered from the very progress the next decision advances (as the engine does).
    results.push(
      await measure('path: advance + hash + render + JSON, per input', () => {
        let n = 0;
        for (const call of calls) {
          let step = beginCall(resolver.at(call.flowId, call.start.at, call.start.customer.region), call.start);
          let prev = hashEvent(GENESIS, step.event);
          JSON.stringify({ event: 'call.view', data: { requestId: 'r', ...renderView(step.progress, 'zh-CN', resolver, businesses, titleOf) } });
          for (const input of call.inputs) {
            step = advance(step.progress, input, resolver);
            prev = hashEvent(prev, step.event);
            JSON.stringify({ event: 'call.view', data: { requestId: 'r', ...renderView(step.progress, 'zh-CN', resolver, businesses, titleOf) } });
          }
          n += call.inputs.length + 1;
        }
        return n;
      }),
    );
  }

  if (want('commit')) results.push(await measureCommit(calls));

  if (want('idle')) results.push(await measureIdle(calls));

  if (want('kept')) results.push(await measureKept(calls));

  const elapsed = (performance.now() - t0) / 1000;
  if (JSON_OUT) {
    console.log(
      JSON.stringify(
        { node: process.version, rounds: ROUNDS, batch: BATCH, corpus: { calls: calls.length, inputs, decisions }, results, elapsedS: elapsed },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `decision path, in process — ${calls.length} catalogue calls, ${inputs} events, ${ROUNDS} rounds (node ${process.version}, ${elapsed.toFixed(0)} s)`,
  );
  console.log(`  ${'piece'.padEnd(46)} ${'CPU µs/op'.padStart(10)} ${'wall µs/op'.padStart(11)} ${'best wall'.padStart(10)} ${'alloc B/op'.padStart(11)}`);
  const num = (x, d = 1) => (x === null || x === undefined ? '—' : x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }));
  for (const r of results) {
    console.log(
      `  ${r.piece.padEnd(46)} ${num(r.cpuUs).padStart(10)} ${num(r.wallUs).padStart(11)} ${num(r.bestWallUs).padStart(10)} ${num(r.bytesPerOp, 0).padStart(11)}${r.note ? `  ${r.note}` : ''}`,
    );
  }
}

/** Every corpus event appended, BATCH at a time in flight (one group commit each), to a fresh log file. */
async function measureCommit(calls) {
  const { DataSource } = require('typeorm');
  // The log's own entities (the whole list lives in src/testing/, which the build leaves out).
  const { MIGRATIONS } = dist('database/migrations/index.js');
  const ENTITIES = [dist('decision-log/call.entity.js').CallEntity, dist('decision-log/call-event.entity.js').CallEventEntity];
  const { SqliteDecisionLog } = dist('decision-log/sqlite-decision-log.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'laihua-decision-path-'));
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dir, 'laihua.sqlite'),
    enableWAL: true,
    prepareDatabase: (db) => {
      db.pragma('synchronous = FULL');
      db.pragma('wal_autocheckpoint = 0');
    },
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    logging: false,
  });
  await dataSource.initialize();
  const decisionLog = new SqliteDecisionLog(dataSource);
  // Interleaved as live calls are: the k-th event of every call, then the (k+1)-th.
  const rounds = [];
  const longest = Math.max(...calls.map((c) => c.events.length));
  for (let k = 0; k < longest; k++) for (const c of calls) if (k < c.events.length) rounds.push([c, k]);
  const result = await measure(`commit (append, ${BATCH} in flight, FULL)`, async () => {
    const suffix = randomUUID().slice(0, 8);
    for (let i = 0; i < rounds.length; i += BATCH) {
      await Promise.all(
        rounds.slice(i, i + BATCH).map(([c, k]) => {
          const callId = `${c.start.callId}-${suffix}`;
          return decisionLog.append({ ...c.events[k], callId }, { ...c.progresses[k].record, id: callId });
        }),
      );
    }
    return rounds.length;
  });
  await dataSource.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { ...result, note: 'wall includes waiting for fsync' };
}

/** The heap one idle call keeps: a LiveCall at its first step, for every script, N times over. */
async function measureIdle(calls) {
  const copies = Math.max(1, Math.ceil(5000 / calls.length));
  globalThis.gc();
  await turn();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < copies; i++) {
    for (const call of calls) {
      const start = { ...call.start, callId: randomUUID(), customer: structuredClone(call.start.customer) };
      kept.push(new LiveCall(beginCall(resolver.at(call.flowId, start.at, start.customer.region), start).progress));
    }
  }
  globalThis.gc();
  await turn();
  globalThis.gc();
  const perCall = (process.memoryUsage().heapUsed - before) / kept.length;
  return {
    piece: `idle call: heap kept (n=${kept.length})`,
    cpuUs: null,
    wallUs: null,
    bestWallUs: null,
    bytesPerOp: perCall,
    note: 'bytes kept per call (LiveCall at its first step), not allocated',
  };
}

/**
 * The bytes each input adds that the call keeps until its next input: every progress of every call
 * is held (as if each call were still at each step), so what a step shares with the one before is
 * counted once. On a live server these bytes outlive a young-generation collection — a call's next
 * decision comes a second later — so this is what the main thread promotes to the old generation
 * per decision, and what makes its mark-compacts come round.
 */
async function measureKept(calls) {
  globalThis.gc();
  await turn();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  let inputs = 0;
  for (const call of calls) {
    const start = { ...call.start, callId: randomUUID(), customer: structuredClone(call.start.customer) };
    let progress = beginCall(resolver.at(call.flowId, start.at, start.customer.region), start).progress;
    const first = kept.length;
    for (const input of call.inputs) {
      progress = advance(progress, input, resolver).progress;
      kept.push(progress);
    }
    inputs += kept.length - first;
  }
  globalThis.gc();
  await turn();
  globalThis.gc();
  const whole = process.memoryUsage().heapUsed - before;
  return {
    piece: `kept per input (n=${inputs})`,
    cpuUs: null,
    wallUs: null,
    bestWallUs: null,
    bytesPerOp: whole / inputs,
    note: 'new bytes a step keeps until the next (promoted on a live server), not allocated',
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
