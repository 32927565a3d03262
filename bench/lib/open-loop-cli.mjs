// The open-loop bench's command line (bench/open-loop.mjs).

import path from 'node:path';

import { readOptions } from './cli-options.mjs';
import { DEFAULT_SERVER_ENTRY } from './harness.mjs';
import { parseTopology } from './topology.mjs';

function usage() {
  return `usage: node bench/open-loop.mjs [options]
  --calls N           concurrent calls to hold in the load phase (default 2000; 0 skips it)
  --idle N            open idle calls in the idle phase (default 10000; 0 skips it)
  --duration S        seconds measured at full load (default 30)
  --ramp S            seconds over which the arrival rate rises to its full value (default 10)
  --think MS          mean agent think time before each decision (default 1000)
  --jitter F          think time is uniform in MS × (1 ± F) (default 0.2)
  --latency MS        simulated back-end latency, SIM_LATENCY_MS (default 30)
  --seed N            seed of the arrival schedule, script mix and think times (default 1)
  --flows A,B         only these flows in the mix (default: every catalogue flow with a valid script)
  --topologies A,B    where laihua runs, each in turn under the same load: sqlite (one node, the default),
                      pgN (N nodes on one throwaway PostgreSQL cluster, agents spread over them)
  --no-baseline       skip the baseline server
  --baseline-only     only the baseline (load and idle)
  --timeout MS        no reply after this counts as error no-reply (default 10000)
  --idle-rate N       idle phase: calls opened per second (default 500)
  --recover N         live calls in the crash-recovery phase (default 10000; 0 skips it)
  --recover-decisions N  decisions each of those calls has taken before the kill (default 2)
  --recover-on sqlite|pg|pg-node-loss  where that phase's server keeps its data: its SQLite file (default), or a
                      throwaway PostgreSQL cluster (one node, killed and started again with the same NODE_ID);
                      pg-node-loss: two nodes on it, the first killed, its agents attaching again on the second
  --replay N          catalogue calls logged, then replayed from the log in the replay phase (default 5000; 0 skips it)
  --server FILE       laihua entry (default dist/main.js); --node-arg=ARG: extra node option, repeatable
  --without-end-of-call  laihua does no work after a call ends (QA, metrics): the decision path alone
  --cpu-profile FILE  sample laihua's main thread over the measured window (slows it: latencies not quotable)
  --probe             note each of laihua's threads' event-loop gaps and collections on the wall clock
                      (bench/lib/stall-probe.cjs) and say what held them in the worst tail windows
  --json              also print the whole result as one JSON line
  --verbose           echo the servers' output
  -h, --help`;
}

export function parseArgs(argv) {
  const o = readOptions(
    argv,
    {
      calls: { kind: 'int', default: 2000 },
      idle: { kind: 'int', default: 10000 },
      duration: { kind: 'number', default: 30 },
      ramp: { kind: 'number', default: 10 },
      think: { kind: 'number', default: 1000 },
      jitter: { kind: 'number', default: 0.2 },
      latency: { kind: 'number', default: 30 },
      seed: { kind: 'int', default: 1 },
      flows: { kind: 'list' },
      topologies: { kind: 'list' },
      'no-baseline': { kind: 'flag' },
      'baseline-only': { kind: 'flag' },
      timeout: { kind: 'number', default: 10000 },
      'idle-rate': { kind: 'number', default: 500 },
      recover: { kind: 'int', default: 10000 },
      'recover-decisions': { kind: 'int', default: 2 },
      'recover-on': { kind: 'string', default: 'sqlite' },
      replay: { kind: 'int', default: 5000 },
      server: { kind: 'path', default: DEFAULT_SERVER_ENTRY },
      'node-arg': { kind: 'repeat', key: 'nodeArgs' },
      'without-end-of-call': { kind: 'flag' },
      'cpu-profile': { kind: 'path' },
      probe: { kind: 'flag' },
      json: { kind: 'flag' },
      verbose: { kind: 'flag' },
    },
    usage(),
  );
  const { noBaseline, baselineOnly, withoutEndOfCall, ...rest } = o;
  return {
    ...rest,
    jitter: Math.min(0.99, o.jitter),
    idleRate: Math.max(1, o.idleRate),
    baseline: !noBaseline,
    laihua: !baselineOnly,
    endOfCall: !withoutEndOfCall,
    topologies: (o.topologies?.length ? o.topologies : ['sqlite']).map(parseTopology),
    nodeArgs: [
      ...o.nodeArgs,
      ...(withoutEndOfCall ? ['--require', path.join(path.dirname(new URL(import.meta.url).pathname), 'without-end-of-call.cjs')] : []),
      ...(o.probe ? ['--require', path.join(path.dirname(new URL(import.meta.url).pathname), 'stall-probe.cjs')] : []),
    ],
  };
}

export const log = (s) => process.stderr.write(`[open-loop] ${s}\n`);
