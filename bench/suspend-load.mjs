#!/usr/bin/env node
// Load benchmark for laihua: N simulated agents drive whole "suspend-service" calls over the
// WebSocket API of the built server (dist/main.js), each sending about one decision per second.
//
//   npm run bench                                  # nest build, then 200 agents for 20 s
//   npm run bench -- --matrix 200,1000,2000 --json # one fresh server per entry
//   node bench/suspend-load.mjs --agents 10 --duration 5   # after `npx nest build`
//
// The client only talks to 127.0.0.1, and the server it starts binds 127.0.0.1 (HOST).
// Each run spawns its own server with a fresh temporary DATA_DIR,
// stops by itself after --duration seconds, closes the sockets and kills the server.
// See docs/PERFORMANCE.md for what the numbers mean.

import { optionsOrExit, readOptions } from './lib/cli-options.mjs';
import { DEFAULT_SERVER_ENTRY, sleep } from './lib/harness.mjs';
import { printRun, printTable, runOnce } from './lib/suspend-run.mjs';

// ---------------------------------------------------------------------------------------------
// CLI

function usage() {
  return `usage: node bench/suspend-load.mjs [options]
  --agents N          concurrent agent connections (default 200)
  --matrix A,B,...    run several agent counts one after another, fresh server each
  --duration S        seconds of load per run, ramp included (default 20)
  --ramp S            seconds over which connections are opened (default 2)
  --think MS          mean agent think time between decisions, ±20% jitter (default 1000)
  --latency MS        simulated back-end latency, passed as SIM_LATENCY_MS (default 30)
  --backend-timeout MS  passed as BACKEND_TIMEOUT_MS (default: server's own)
  --caller MSISDN[,MSISDN...]  caller numbers, round-robin over agents (default 13800000001)
  --timeout MS        a request with no reply after this counts as error no-reply (default 10000)
  --server FILE       server entry to spawn with node (default dist/main.js)
  --node-arg=ARG      extra node option for the server, repeatable (e.g. --node-arg=--max-old-space-size=512)
  --cpu-profile FILE  sample the server's main thread from the end of the ramp to the end of the run
                      (inspector on 127.0.0.1), write FILE (.cpuprofile, opens in Chrome DevTools) and
                      print the heaviest functions; in a matrix the agent count is added to the name.
                      Profiling slows the server: don't quote latencies of a profiled run
  --json              also print one JSON summary line per run
  --keep-data         keep the temporary DATA_DIR (path is printed)
  --verbose           echo the server's stdout/stderr
  -h, --help`;
}

function parseArgs(argv) {
  const o = readOptions(
    argv,
    {
      agents: { kind: 'int', default: 200 },
      matrix: { kind: 'ints' },
      duration: { kind: 'number', default: 20 },
      ramp: { kind: 'number', default: 2 },
      think: { kind: 'number', default: 1000 },
      latency: { kind: 'number', default: 30 },
      'backend-timeout': { kind: 'number' },
      caller: { kind: 'list', default: ['13800000001'], key: 'callers' },
      timeout: { kind: 'number', default: 10000 },
      json: { kind: 'flag' },
      'keep-data': { kind: 'flag' },
      verbose: { kind: 'flag' },
      'node-arg': { kind: 'repeat', key: 'nodeArgs' },
      'cpu-profile': { kind: 'path' },
      server: { kind: 'path', default: DEFAULT_SERVER_ENTRY },
    },
    usage(),
  );
  if (o.ramp >= o.duration) o.ramp = Math.max(0, o.duration / 4);
  return o;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = optionsOrExit(parseArgs, 'npm run bench does nest build && node bench/suspend-load.mjs');
  const counts = opts.matrix ?? [opts.agents];
  console.log(
    `laihua suspend-service load bench — ${new Date().toISOString()}, node ${process.version}, ` + `args: ${process.argv.slice(2).join(' ') || '(defaults)'}`,
  );
  const results = [];
  let failed = false;
  for (const n of counts) {
    let r;
    try {
      r = await runOnce(n, opts);
      printRun(r);
      if (r.replies === 0) failed = true;
    } catch (e) {
      failed = true;
      r = { agents: n, failed: e.message };
      console.log(`\n== ${n} agents: RUN FAILED\n${e.message}`);
    }
    results.push(r);
    if (opts.json) console.log(JSON.stringify({ bench: 'suspend-load', date: new Date().toISOString(), ...r }));
    await sleep(1000); // let the previous server's sockets leave TIME_WAIT churn behind
  }
  if (results.length > 1) printTable(results);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
