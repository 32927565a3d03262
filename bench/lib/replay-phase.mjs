// Replay throughput (bench/open-loop.mjs --replay N): N whole catalogue calls are run through a real
// server to their end, the server is stopped, and every logged call is then replayed from the SQLite
// log it wrote — read in one pass, folded through the same pure step function and flow versions
// the QA replay uses (dist/calls/step), its hash chain verified — in this process, one thread.

import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { ROOT, Server, freePort, round } from './harness.mjs';
import { log } from './open-loop-cli.mjs';
import { PipelinedAgent, decideData, inParallel } from './pipelined-agent.mjs';

const SOCKETS = 8;
const IN_FLIGHT = 64;
const REPLAY_ROUNDS = 5;
// The per-user limits and caps are off in every bench server (harness.mjs Server); per connection too here.
const NO_LIMITS = { WS_RATE_PER_CONNECTION: '0' };

/** Runs one script to its end; true when the call ended as scripted. */
async function runScript(agent, script) {
  let view = await agent.request('call.start', { callerNumber: script.msisdn, flowId: script.flowId });
  if (view.event !== 'call.view') return false;
  const callId = view.data.callId;
  let seq = view.data.seq;
  for (const step of script.steps) {
    if (step.kind === 'push') {
      const pushed = await agent.nextPush(callId);
      if (!pushed) return false;
      seq = pushed.seq;
    } else {
      view = await agent.request('call.decide', decideData(callId, seq, step));
      if (view.event !== 'call.view') return false;
      seq = view.data.seq;
    }
  }
  agent.forget(callId);
  return true;
}

export async function logEndedCalls(scripts, n, opts, dataDir, env = {}) {
  const server = new Server({
    port: await freePort(),
    dataDir,
    latency: 0,
    backendTimeout: null,
    verbose: opts.verbose,
    nodeArgs: opts.nodeArgs,
    entry: opts.server,
    env: { ...NO_LIMITS, ...env },
  });
  try {
    await server.waitHealthy(60_000);
    const token = await server.login();
    const agents = await Promise.all(Array.from({ length: SOCKETS }, () => PipelinedAgent.open(server.port, token)));
    let ended = 0;
    const t0 = performance.now();
    await inParallel(n, IN_FLIGHT, async (i) => {
      if (await runScript(agents[i % SOCKETS], scripts[i % scripts.length])) ended++;
    });
    log(`replay: ${ended} of ${n} calls run to their end in ${round((performance.now() - t0) / 1000, 1)} s`);
    for (const a of agents) a.close();
  } finally {
    await server.stop();
  }
}

/** Every ended call and its events, read from the log file in one pass each (as stored: the adapter's columns). */
function readLog(file) {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const calls = db
      .prepare(
        `SELECT id, flow_id AS flowId, flow_version AS flowVersion, agent_id AS agentId, caller_number AS callerNumber, status, outcome,
                outcome_detail AS outcomeDetail, state, current_flow_id AS currentFlowId, current_flow_version AS currentFlowVersion, seq,
                started_at AS startedAt, updated_at AS updatedAt, ended_at AS endedAt
           FROM calls WHERE status <> 'active'`,
      )
      .all();
    const events = new Map(calls.map((c) => [c.id, []]));
    const rows = db
      .prepare(
        `SELECT call_id AS callId, seq, type, payload, agent_id AS agentId, flow_id AS flowId, flow_version AS flowVersion, state_before AS stateBefore,
                flow_id_after AS flowIdAfter, flow_version_after AS flowVersionAfter, state_after AS stateAfter, at, prev_hash AS prevHash, hash
           FROM call_events ORDER BY call_id, seq`,
      )
      .iterate();
    // Payloads are sealed under each call's key (docs/RELIABILITY.md "Retention and erasure"): opened
    // with the product's own cipher, the stored form kept under SEALED so the chain is checked over it.
    const { openPayload, keyFromText, isSealed, SEALED } = require(path.join(ROOT, 'dist/decision-log/payload-cipher.js'));
    const keys = new Map(
      db
        .prepare(`SELECT call_id AS callId, key FROM call_keys WHERE key IS NOT NULL`)
        .all()
        .map((k) => [k.callId, keyFromText(k.key)]),
    );
    for (const row of rows) {
      const list = events.get(row.callId);
      if (!list) continue;
      const stored = JSON.parse(row.payload);
      if (isSealed(stored)) {
        row.payload = openPayload(keys.get(row.callId), row.callId, row.seq, stored);
        row[SEALED] = stored;
      } else row.payload = stored;
      list.push(row);
    }
    for (const c of calls) c.outcomeDetail = c.outcomeDetail === null ? null : JSON.parse(c.outcomeDetail);
    return { calls, events };
  } finally {
    db.close();
  }
}

export { readLog };

export async function replayPhase(scripts, opts) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-open-loop-replay-'));
  try {
    await logEndedCalls(scripts, opts.replay, opts, dataDir);
    const require = createRequire(path.join(ROOT, 'package.json'));
    const dist = (p) => require(path.join(path.dirname(opts.server), p));
    const { replayCall } = dist('calls/step/index.js');
    const { fileFlows } = dist('simulation/file-flows.js');
    // Every flow file (a call may move into any business, e.g. through an accepted offer), each the version the server seeded.
    const flows = fileFlows(
      readdirSync(path.join(ROOT, 'flows'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length)),
    );

    // Round 1 is cold (variants compiled, code not yet optimised); the figure is the median of the rounds after it.
    const rounds = [];
    let verdicts = null;
    for (let pass = 0; pass < 1 + REPLAY_ROUNDS; pass++) {
      const t0 = performance.now();
      const { calls, events } = readLog(path.join(dataDir, 'laihua.sqlite'));
      const t1 = performance.now();
      const v = { calls: calls.length, events: 0, deterministic: 0, chainIntact: 0 };
      for (const call of calls) {
        const list = events.get(call.id);
        v.events += list.length;
        const verdict = replayCall(flows, call, list);
        if (verdict.deterministic) v.deterministic++;
        if (verdict.chain.intact) v.chainIntact++;
      }
      const t2 = performance.now();
      rounds.push({ readMs: t1 - t0, replayMs: t2 - t1, callsPerS: calls.length / ((t2 - t0) / 1000) });
      verdicts = v;
    }
    const [cold, ...warm] = rounds;
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      ...verdicts,
      rounds: REPLAY_ROUNDS,
      readMs: round(median(warm.map((r) => r.readMs)), 0),
      replayMs: round(median(warm.map((r) => r.replayMs)), 0),
      callsPerS: round(median(warm.map((r) => r.callsPerS)), 0),
      coldCallsPerS: round(cold.callsPerS, 0),
    };
  } finally {
    if (process.env.BENCH_KEEP) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printReplay(r) {
  console.log('');
  console.log(
    `REPLAY — ${r.calls} logged calls (${r.events} events; ended, and the few a script leaves open) replayed from the SQLite log, one thread, median of ${r.rounds} rounds after a cold one`,
  );
  console.log(
    `  ${r.callsPerS} calls/s (reading the log ${r.readMs} ms + replaying ${r.replayMs} ms; the cold first round ${r.coldCallsPerS} calls/s); ` +
      `deterministic ${r.deterministic}/${r.calls}, chain intact ${r.chainIntact}/${r.calls}`,
  );
}
