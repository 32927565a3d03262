// The open-loop bench's command line (bench/open-loop.mjs).

import path from 'node:path';

import { DEFAULT_SERVER_ENTRY } from './harness.mjs';

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
  --no-baseline       skip the baseline server
  --baseline-only     only the baseline (load and idle)
  --timeout MS        no reply after this counts as error no-reply (default 10000)
  --idle-rate N       idle phase: calls opened per second (default 500)
  --recover N         live calls in the crash-recovery phase (default 10000; 0 skips it)
  --recover-decisions N  decisions each of those calls has taken before the kill (default 2)
  --replay N          ended calls logged, then replayed from the log in the replay phase (default 5000; 0 skips it)
  --server FILE       laihua entry (default dist/main.js); --node-arg ARG: extra node option, repeatable
  --without-end-of-call  laihua does no work after a call ends (QA, metrics): the decision path alone
  --cpu-profile FILE  sample laihua's main thread over the measured window (slows it: latencies not quotable)
  --json              also print the whole result as one JSON line
  --verbose           echo the servers' output
  -h, --help`;
}

export function parseArgs(argv) {
  const o = {
    calls: 2000,
    idle: 10000,
    duration: 30,
    ramp: 10,
    think: 1000,
    jitter: 0.2,
    latency: 30,
    seed: 1,
    flows: null,
    baseline: true,
    laihua: true,
    timeout: 10000,
    idleRate: 500,
    recover: 10000,
    recoverDecisions: 2,
    replay: 5000,
    server: DEFAULT_SERVER_ENTRY,
    nodeArgs: [],
    cpuProfile: null,
    json: false,
    verbose: false,
  };
  const num = (flag, v) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--calls':
        o.calls = Math.floor(num(flag, val()));
        break;
      case '--idle':
        o.idle = Math.floor(num(flag, val()));
        break;
      case '--duration':
        o.duration = num(flag, val());
        break;
      case '--ramp':
        o.ramp = num(flag, val());
        break;
      case '--think':
        o.think = num(flag, val());
        break;
      case '--jitter':
        o.jitter = Math.min(0.99, num(flag, val()));
        break;
      case '--latency':
        o.latency = num(flag, val());
        break;
      case '--seed':
        o.seed = Math.floor(num(flag, val()));
        break;
      case '--flows':
        o.flows = String(val())
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--no-baseline':
        o.baseline = false;
        break;
      case '--baseline-only':
        o.laihua = false;
        break;
      case '--timeout':
        o.timeout = num(flag, val());
        break;
      case '--idle-rate':
        o.idleRate = Math.max(1, num(flag, val()));
        break;
      case '--recover':
        o.recover = Math.floor(num(flag, val()));
        break;
      case '--recover-decisions':
        o.recoverDecisions = Math.floor(num(flag, val()));
        break;
      case '--replay':
        o.replay = Math.floor(num(flag, val()));
        break;
      case '--server':
        o.server = path.resolve(String(val()));
        break;
      case '--node-arg':
        o.nodeArgs.push(String(val()));
        break;
      case '--without-end-of-call':
        o.nodeArgs.push('--require', path.join(path.dirname(new URL(import.meta.url).pathname), 'without-end-of-call.cjs'));
        break;
      case '--cpu-profile':
        o.cpuProfile = path.resolve(String(val()));
        break;
      case '--json':
        o.json = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '-h':
      case '--help':
        console.log(usage());
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}\n${usage()}`);
    }
  }
  return o;
}

export const log = (s) => process.stderr.write(`[open-loop] ${s}\n`);
