#!/usr/bin/env node
// Open-loop load bench for laihua: calls arrive at a set rate and run whole scripted paths
// through the catalogue flows, each agent deciding about once a second; the same load is then
// run against the floor (bench/baseline-server.mjs: bare `ws` + SQLite group commit) and the
// results are given as ratios to it. An idle phase then holds many open calls waiting on an
// agent step and weighs them. Ends with one verdict line per target.
//
//   npm run bench:open-loop                           # build, then --calls 2000 --idle 10000
//   node bench/open-loop.mjs --calls 200 --duration 10 --idle 500   # smoke run after `npx nest build`
//
// Open loop: each call's sends are scheduled in advance (arrival, then one decision per think
// time after the previous one's *intended* time); a late reply delays the send that needs it, and
// that wait counts: decision latency is from the intended send time to the view carrying its
// requestId (coordinated omission corrected). The service time (from the actual send) is printed
// beside it. See docs/PERFORMANCE.md.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';

import { cachedCatalogueScripts } from './lib/call-scripts.mjs';
import {
  DEFAULT_SERVER_ENTRY,
  HOST,
  Profiler,
  ROOT,
  Server,
  bump,
  freePort,
  inspectDb,
  machineCpuSeconds,
  percentile,
  procCpuSeconds,
  procMem,
  round,
  sleep,
  topFunctions,
} from './lib/harness.mjs';

const BASELINE_ENTRY = path.join(ROOT, 'bench', 'baseline-server.mjs');
/** Handshakes in flight at once: a burst of thousands only times out in the listen backlog. */
const MAX_OPENING = 32;

// ---------------------------------------------------------------------------------------------
// CLI

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
  --server FILE       laihua entry (default dist/main.js); --node-arg ARG: extra node option, repeatable
  --cpu-profile FILE  sample laihua's main thread over the measured window (slows it: latencies not quotable)
  --without-end-of-call  laihua does no work after a call ends (QA, metrics): the decision path alone
  --json              also print the whole result as one JSON line
  --verbose           echo the servers' output
  -h, --help`;
}

function parseArgs(argv) {
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
      case '--server':
        o.server = path.resolve(String(val()));
        break;
      case '--node-arg':
        o.nodeArgs.push(String(val()));
        break;
      case '--without-end-of-call':
        o.nodeArgs.push('--require', path.join(ROOT, 'bench', 'lib', 'without-end-of-call.cjs'));
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

const log = (s) => process.stderr.write(`[open-loop] ${s}\n`);

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// Seeded randomness: the laihua run and the baseline run get the very same schedule.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The whole load, decided before it starts: call arrival times (a Poisson process whose rate rises
 * linearly over the ramp to λ = calls ÷ mean call length, Little's law, so about `calls` are in
 * progress at full rate), each call's script (a flow picked uniformly, then one of its scripts) and
 * think time before each decision.
 */
function schedule(scripts, opts, endS) {
  const rnd = mulberry32(opts.seed);
  const byFlow = new Map();
  scripts.forEach((s, i) => byFlow.set(s.flowId, [...(byFlow.get(s.flowId) ?? []), i]));
  const flows = [...byFlow.keys()].sort();
  // Mean length of a call in seconds: one think per decision (flows weighted equally).
  const meanS =
    (flows.reduce((a, f) => a + byFlow.get(f).reduce((b, i) => b + scripts[i].decisions, 0) / byFlow.get(f).length, 0) / flows.length) * (opts.think / 1000);
  const lambda = opts.calls / meanS;
  const calls = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rnd()) / lambda;
    if (t >= endS) break;
    if (t < opts.ramp && rnd() > t / opts.ramp) continue; // thinning: rate λ·t/ramp during the ramp
    const ids = byFlow.get(flows[Math.floor(rnd() * flows.length)]);
    const script = ids[Math.floor(rnd() * ids.length)];
    const thinks = scripts[script].steps.filter((s) => s.kind === 'decide').map(() => opts.think * (1 - opts.jitter + 2 * opts.jitter * rnd()));
    calls.push({ at: t * 1000, script, thinks });
  }
  return { calls, lambda, meanS, flows };
}

// ---------------------------------------------------------------------------------------------
// Client: connections (one agent each, one call at a time) and calls.

class Load {
  /** mode: 'laihua' (every view checked against the script) or 'baseline' (replies only). */
  constructor({ server, token, scripts, opts, mode }) {
    Object.assign(this, { server, token, scripts, opts, mode });
    this.validate = mode === 'laihua';
    this.idleConns = [];
    this.conns = new Set();
    this.opening = 0;
    this.waiters = [];
    this.active = new Set();
    this.stopping = false;
    this.window = { from: Infinity, to: Infinity };
    this.c = {
      connectOk: 0,
      connectFail: 0,
      started: 0,
      completed: 0,
      abandoned: 0,
      sent: 0,
      replies: 0,
      pushes: 0,
      windowReplies: 0,
      windowDecides: 0,
      replyBytes: 0,
      replyFrames: 0,
    };
    this.lat = { decideCo: [], decideSvc: [], start: [], connect: [] };
    this.errors = {};
    this.errorSamples = {};
  }

  error(code, detail) {
    bump(this.errors, code);
    const s = (this.errorSamples[code] ||= []);
    if (s.length < 3 && detail) s.push(detail);
  }

  inWindow(t) {
    return t >= this.window.from && t < this.window.to;
  }

  /**
   * An agent connection with no call: an idle one, else a new one — at most MAX_OPENING handshakes
   * at a time; beyond that the call waits for the next connection to open or come free (the wait
   * counts in its start latency, which runs from the intended arrival).
   */
  acquire() {
    const idle = this.idleConns.pop();
    if (idle) return Promise.resolve(idle);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.openForWaiters();
    });
  }

  /** One handshake per waiting call, MAX_OPENING at a time; a connection freed meanwhile serves a waiter first. */
  openForWaiters() {
    while (!this.stopping && this.opening < MAX_OPENING && this.waiters.length > this.opening) {
      this.opening++;
      void this.open().then((conn) => {
        this.opening--;
        if (conn) this.release(conn);
        this.openForWaiters();
      });
    }
  }

  /** Agents log in before calls arrive: `n` connections opened (MAX_OPENING at a time) and left idle. */
  async preconnect(n) {
    let left = n;
    await Promise.all(
      Array.from({ length: Math.min(n, MAX_OPENING) }, async () => {
        while (left-- > 0) {
          const conn = await this.open();
          if (conn) this.idleConns.push(conn);
        }
      }),
    );
  }

  open() {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const ws = new WebSocket(`ws://${HOST}:${this.server.port}/ws?token=${encodeURIComponent(this.token)}&locale=en`, {
        perMessageDeflate: false,
        handshakeTimeout: 10000,
      });
      const conn = { ws, call: null, open: false };
      this.conns.add(conn);
      ws.on('open', () => {
        conn.open = true;
        this.c.connectOk++;
        this.lat.connect.push(performance.now() - t0);
        resolve(conn);
      });
      ws.on('message', (buf) => this.onMessage(conn, buf));
      ws.on('unexpected-response', (_q, res) => {
        this.error(`connect:HTTP ${res.statusCode}`);
        res.resume();
      });
      ws.on('error', (e) => {
        if (!this.stopping) this.error(`ws-error:${e.code || e.message}`);
      });
      ws.on('close', () => {
        const wasOpen = conn.open;
        conn.open = false;
        this.conns.delete(conn);
        if (!wasOpen) {
          this.c.connectFail++;
          resolve(null);
        }
        if (conn.call) this.abandon(conn.call, this.stopping ? null : 'ws-closed');
      });
    });
  }

  release(conn) {
    conn.call = null;
    if (!conn.open || this.stopping) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(conn);
    else this.idleConns.push(conn);
  }

  /** One call: arrive (intended time `at`, ms on the performance clock), start, run the script. */
  async arrive(plan, at, { idle = false } = {}) {
    const script = this.scripts[plan.script];
    const call = { script, plan, idx: 0, intended: at, seq: -Infinity, callId: null, pending: null, timer: null, conn: null, idle, decision: 0, ended: false };
    call.done = new Promise((resolve) => (call.settle = resolve));
    this.active.add(call);
    const conn = await this.acquire();
    if (!conn || this.stopping) {
      this.active.delete(call);
      if (conn) this.release(conn);
      call.settle({ ok: false, code: 'no-connection' });
      return call;
    }
    call.conn = conn;
    conn.call = call;
    this.c.started++;
    this.send(call, 'call.start', { callerNumber: script.msisdn, flowId: script.flowId }, 'start', at);
    return call;
  }

  send(call, event, data, kind, intended) {
    const requestId = randomUUID();
    const now = performance.now();
    call.pending = {
      requestId,
      kind,
      intended,
      sent: now,
      timer: setTimeout(() => {
        if (call.pending?.requestId !== requestId) return;
        this.abandon(call, 'no-reply', `${call.script.flowId} ${kind} from step ${call.script.steps[call.idx - 1]?.from ?? 'start'}`);
      }, this.opts.timeout),
    };
    this.c.sent++;
    call.conn.ws.send(JSON.stringify({ event, data: { requestId, ...data } }));
  }

  onMessage(conn, buf) {
    const now = performance.now();
    let msg;
    try {
      msg = JSON.parse(buf);
    } catch {
      return this.error('client:bad-json');
    }
    const call = conn.call;
    const { event, data } = msg ?? {};
    if (event !== 'call.view' && event !== 'call.error') return;
    if (!call) return; // a late frame for a call already given up
    const p = call.pending;
    const isReply = p && data?.requestId === p.requestId;
    if (isReply) {
      clearTimeout(p.timer);
      call.pending = null;
      this.c.replies++;
      this.c.replyBytes += buf.length;
      this.c.replyFrames++;
      if (this.inWindow(p.intended)) {
        this.c.windowReplies++;
        if (p.kind === 'decide') {
          this.c.windowDecides++;
          this.lat.decideCo.push(now - p.intended);
          this.lat.decideSvc.push(now - p.sent);
        } else {
          this.lat.start.push(now - p.intended);
        }
      }
    } else if (data?.requestId) {
      return; // the answer to a clean-up hang-up, or a reply that came after its timeout
    } else if (!call.callId || data?.callId !== call.callId) {
      return; // a push for the call this connection had before (given up, then reused)
    }
    if (event === 'call.error') {
      return this.abandon(call, `call.error:${data?.code}`, `${call.script.flowId} at ${call.script.steps[call.idx - 1]?.from ?? 'start'}: ${data?.message}`);
    }
    if (!isReply) this.c.pushes++;
    if (typeof data.seq === 'number') {
      if (data.seq <= call.seq) return this.error('client:stale-view', `${call.script.flowId} seq ${data.seq} <= ${call.seq}`);
      call.seq = data.seq;
    }
    const steps = call.script.steps;
    let expect;
    if (isReply && p.kind === 'start') {
      call.callId = data.callId;
      expect = call.script.first;
    } else if (isReply) {
      expect = steps[call.idx - 1].expect;
    } else {
      const s = steps[call.idx];
      if (!s || s.kind !== 'push')
        return this.abandon(call, 'client:unexpected-push', `${call.script.flowId}: push of ${data.step?.id} at script step ${call.idx}`);
      call.idx++;
      expect = s.expect;
    }
    if (this.validate && data.step?.id !== expect) {
      return this.abandon(
        call,
        'client:wrong-view',
        `${call.script.flowId} (${call.script.msisdn}) ${call.script.key}: expected ${expect}, got ${data.step?.id} (status ${data.status})`,
      );
    }
    this.next(call, data);
  }

  /** After a view: schedule the next decision at its intended time, wait for a push, or end. */
  next(call, view) {
    if (call.idle) return; // idle phase: the call stays open, waiting on its agent
    const steps = call.script.steps;
    // The baseline has no back end: its pushes are taken as arrived at once.
    while (!this.validate && steps[call.idx]?.kind === 'push') call.idx++;
    const s = steps[call.idx];
    if (!s) {
      if (this.validate && view.status === 'active')
        return this.abandon(call, 'client:not-ended', `${call.script.flowId}: script done, call still active at ${view.step?.id}`);
      return this.finish(call);
    }
    if (s.kind === 'push') return; // the server pushes the next view by itself
    const think = call.plan.thinks[call.decision++];
    call.intended += think;
    const fire = () => {
      call.timer = null;
      if (this.stopping || call.ended) return;
      call.idx++;
      const data = { callId: call.callId, seq: call.seq, option: s.option };
      if (s.input !== undefined) data.input = s.input;
      if (s.confirmedPrompts) data.confirmedPrompts = s.confirmedPrompts;
      this.send(call, 'call.decide', data, 'decide', call.intended);
    };
    const wait = call.intended - performance.now();
    if (wait <= 0) fire();
    else call.timer = setTimeout(fire, wait);
  }

  finish(call) {
    call.ended = true;
    this.c.completed++;
    this.active.delete(call);
    this.release(call.conn);
    call.settle({ ok: true });
  }

  abandon(call, code, detail) {
    if (call.ended) return;
    call.ended = true;
    if (code) this.error(code, detail);
    if (code || !this.stopping) this.c.abandoned++;
    call.settle({ ok: false, code: code ?? 'stopped' });
    clearTimeout(call.timer);
    if (call.pending) clearTimeout(call.pending.timer);
    this.active.delete(call);
    const { conn } = call;
    if (!conn) return;
    if (conn.open && call.callId && this.validate) {
      conn.ws.send(JSON.stringify({ event: 'call.hangup', data: { requestId: `hangup-${randomUUID()}`, callId: call.callId } }));
    }
    this.release(conn);
  }

  async closeAll() {
    this.stopping = true;
    for (const w of this.waiters.splice(0)) w(null);
    for (const call of this.active) {
      clearTimeout(call.timer);
      if (call.pending) clearTimeout(call.pending.timer);
    }
    await Promise.all(
      [...this.conns].map(
        (conn) =>
          new Promise((resolve) => {
            const { ws } = conn;
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            const t = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 3000);
            ws.once('close', () => {
              clearTimeout(t);
              resolve();
            });
            if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
            else ws.close(1000, 'bench done');
          }),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements over a window

function cpuMark(pid) {
  return { t: performance.now(), srv: procCpuSeconds(pid), main: threadCpuSeconds(pid, pid), cli: process.cpuUsage(), mach: machineCpuSeconds() };
}

/** user+system CPU seconds of one thread (the main thread's tid is the pid). */
function threadCpuSeconds(pid, tid) {
  try {
    const txt = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = txt.slice(txt.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

function cpuBetween(a, b) {
  const s = (b.t - a.t) / 1000;
  const srv = b.srv - a.srv;
  const cli = (b.cli.user - a.cli.user + b.cli.system - a.cli.system) / 1e6;
  return {
    serverPct: round((100 * srv) / s, 0),
    serverMainPct: a.main !== null && b.main !== null ? round((100 * (b.main - a.main)) / s, 0) : null,
    clientPct: round((100 * cli) / s, 0),
    // everything else on the machine, in % of one core: another job sharing the 2 cores
    otherPct: a.mach && b.mach ? round(Math.max(0, (100 * (b.mach.busy - a.mach.busy - srv - cli)) / s), 0) : null,
    stealPct: a.mach && b.mach ? round((100 * (b.mach.steal - a.mach.steal)) / s, 0) : null,
    serverCpuS: srv,
  };
}

function stats(samples) {
  const s = Float64Array.from(samples).sort();
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    p999: round(percentile(s, 99.9)),
    max: round(s.length ? s[s.length - 1] : null),
  };
}

// ---------------------------------------------------------------------------------------------
// Phases

async function startServer(kind, opts, env = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `laihua-open-loop-${kind}-`));
  const port = await freePort();
  const profiling = kind === 'laihua' && opts.cpuProfile;
  const server = new Server({
    port,
    dataDir,
    latency: opts.latency,
    backendTimeout: null,
    verbose: opts.verbose,
    nodeArgs: kind === 'laihua' ? [...opts.nodeArgs, ...(profiling ? ['--inspect=127.0.0.1:0'] : [])] : [],
    entry: kind === 'laihua' ? opts.server : BASELINE_ENTRY,
    env,
  });
  await server.waitHealthy(60000);
  const token = await server.login();
  return { server, token, dataDir };
}

async function stopServer({ server, dataDir }, inspect) {
  const exit = await server.stop();
  const db = inspect ? inspectDb(dataDir) : null;
  rmSync(dataDir, { recursive: true, force: true });
  return { exit, db };
}

/** Runs every script once, no think time, 64 at a time: the ones the server takes as scripted go in the mix. */
async function calibrate(server, token, scripts, opts) {
  const load = new Load({ server, token, scripts, opts: { ...opts, timeout: 15000 }, mode: 'laihua' });
  const ok = new Array(scripts.length).fill(false);
  const dropped = {};
  let next = 0;
  // one call per connection at a time: the workers are the agents
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < scripts.length) {
        const i = next++;
        const call = await load.arrive({ script: i, thinks: scripts[i].steps.map(() => 0) }, performance.now());
        const { ok: reached, code } = await call.done;
        ok[i] = reached;
        if (!reached) bump(dropped, `${scripts[i].flowId}: ${code}`);
      }
    }),
  );
  await load.closeAll();
  return { valid: scripts.filter((_, i) => ok[i]), dropped, errorSamples: load.errorSamples };
}

/** Waits (≤ 30 s) until the server has been idle for a second: work left over from calibration (QA, metrics of ended calls) must not fall into the window. */
async function settled(pid) {
  const t0 = performance.now();
  let prev = procCpuSeconds(pid);
  while (performance.now() - t0 < 30000) {
    await sleep(1000);
    const cur = procCpuSeconds(pid);
    if (cur - prev < 0.1) return;
    prev = cur;
  }
}

async function loadPhase(kind, scripts, plan, opts, env = {}) {
  const srv = await startServer(kind, opts, env);
  const { server, token } = srv;
  let calibration = null;
  try {
    let valid = scripts;
    if (kind === 'laihua') {
      calibration = await calibrate(server, token, scripts, opts);
      valid = calibration.valid;
      log(`calibration: ${valid.length} of ${scripts.length} scripts run as scripted on the server`);
      plan.ready(valid);
    }
    const { calls, lambda, meanS } = plan.schedule;
    await settled(server.pid);
    const load = new Load({ server, token, scripts: plan.valid, opts, mode: kind });
    const tc = performance.now();
    await load.preconnect(Math.ceil(opts.calls * 1.1));
    const preconnect = { conns: load.idleConns.length, s: round((performance.now() - tc) / 1000, 1), connectP99: stats(load.lat.connect).p99 };
    log(`${kind}: ${preconnect.conns} agents connected in ${preconnect.s} s`);
    load.lat.connect = [];
    await settled(server.pid);
    const memBefore = procMem(server.pid);
    const t0 = performance.now() + 100;
    load.window = { from: t0 + (opts.ramp + 5) * 1000, to: t0 + (opts.ramp + 5 + opts.duration) * 1000 };
    const endAt = load.window.to;
    log(
      `${kind}: ${calls.length} calls over ${round((endAt - t0) / 1000, 0)} s, λ ${round(lambda, 1)} calls/s at full rate (mean call ${round(meanS, 2)} s), target ${opts.calls} concurrent`,
    );
    const eld = monitorEventLoopDelay({ resolution: 10 });
    let i = 0;
    let mark0 = null;
    let profiler = null;
    const active = [];
    const ticker = setInterval(() => {
      const now = performance.now();
      // calls in progress on a connection (not those still waiting for an agent connection)
      if (load.inWindow(now)) active.push(load.c.started - load.c.completed - load.c.abandoned);
    }, 100);
    const progress = setInterval(
      () =>
        log(
          `${kind} t=${round((performance.now() - t0) / 1000, 0)}s active=${load.active.size} conns=${load.conns.size} replies=${load.c.replies} completed=${load.c.completed} errors=${Object.values(load.errors).reduce((a, b) => a + b, 0)}`,
        ),
      5000,
    );
    await new Promise((resolve) => {
      const pump = () => {
        const now = performance.now();
        while (i < calls.length && t0 + calls[i].at <= now) {
          void load.arrive(calls[i], t0 + calls[i].at);
          i++;
        }
        if (i >= calls.length || now >= endAt) return resolve();
        setTimeout(pump, Math.max(0, Math.min(5, t0 + calls[i].at - now)));
      };
      pump();
      setTimeout(async () => {
        mark0 = cpuMark(server.pid);
        eld.enable();
        if (opts.cpuProfile && kind === 'laihua') profiler = await Profiler.start(server.inspectorUrl);
      }, load.window.from - performance.now());
    });
    const wait = load.window.to - performance.now();
    if (wait > 0) await sleep(wait);
    const mark1 = cpuMark(server.pid);
    eld.disable();
    const memEnd = procMem(server.pid);
    const activeAtEnd = load.active.size;
    clearInterval(ticker);
    clearInterval(progress);
    let profileTop = null;
    if (profiler) {
      const profile = await profiler.stop();
      writeFileSync(opts.cpuProfile, JSON.stringify(profile));
      profileTop = { file: opts.cpuProfile, ...topFunctions(profile, 25) };
    }
    // let requests in flight finish (up to 5 s), then hang up
    load.stopping = true;
    const drain = performance.now();
    while ([...load.active].some((c) => c.pending) && performance.now() - drain < 5000) await sleep(20);
    const cpu = cpuBetween(mark0, mark1);
    const windowS = (load.window.to - load.window.from) / 1000;
    await load.closeAll();
    const meanActive = active.length ? active.reduce((a, b) => a + b, 0) / active.length : 0;
    const { exit, db } = await stopServer(srv, true);
    return {
      kind,
      calibration: calibration && { valid: calibration.valid.length, of: scripts.length, dropped: calibration.dropped, samples: calibration.errorSamples },
      windowS,
      preconnect,
      lambda: round(lambda, 1),
      meanCallS: round(meanS, 2),
      concurrent: {
        mean: round(meanActive, 0),
        max: active.length ? Math.max(...active) : 0,
        min: active.length ? Math.min(...active) : 0,
        atEnd: activeAtEnd,
      },
      counts: load.c,
      replyBytesMean: load.c.replyFrames ? round(load.c.replyBytes / load.c.replyFrames, 0) : null,
      decisionsPerS: round(load.c.windowReplies / windowS, 1),
      decidesPerS: round(load.c.windowDecides / windowS, 1),
      latency: { decide: stats(load.lat.decideCo), decideService: stats(load.lat.decideSvc), start: stats(load.lat.start), connect: stats(load.lat.connect) },
      errors: load.errors,
      errorSamples: load.errorSamples,
      server: {
        rssBeforeMiB: round(memBefore.rssKiB / 1024, 1),
        rssEndMiB: round(memEnd.rssKiB / 1024, 1),
        rssPeakMiB: round(memEnd.hwmKiB / 1024, 1),
        kibPerActiveCall: meanActive ? round((memEnd.rssKiB - memBefore.rssKiB) / Math.max(1, activeAtEnd || meanActive), 1) : null,
        cpuPct: cpu.serverPct,
        mainThreadPct: cpu.serverMainPct,
        cpuMsPerMessage: load.c.windowReplies ? round((1000 * cpu.serverCpuS) / load.c.windowReplies, 3) : null,
        exit,
      },
      client: { cpuPct: cpu.clientPct, eventLoopLagP99Ms: round(Math.max(0, eld.percentile(99) / 1e6 - 10), 1) },
      otherCpuPct: cpu.otherPct,
      stealPct: cpu.stealPct,
      db: db && db.tables,
      cpuProfile: profileTop,
      outputTail: server.lines ? server.tail.slice(-8) : undefined,
    };
  } catch (e) {
    await stopServer(srv, false).catch(() => {});
    throw e;
  }
}

/** N calls started and left waiting at their first agent step (no decision), then weighed. */
async function idlePhase(kind, scripts, opts) {
  const srv = await startServer(kind, opts);
  const { server, token } = srv;
  try {
    await sleep(1000);
    const memBefore = procMem(server.pid);
    const waiting = scripts
      .map((s, i) => [s, i])
      .filter(([s]) => s.steps[0]?.kind === 'decide')
      .map(([, i]) => i);
    const load = new Load({ server, token, scripts, opts: { ...opts, timeout: 60000 }, mode: kind });
    const mach0 = cpuMark(server.pid);
    const t0 = performance.now();
    const gap = 1000 / opts.idleRate;
    const progress = setInterval(() => log(`${kind} idle: conns=${load.conns.size} replies=${load.c.replies}`), 5000);
    for (let i = 0; i < opts.idle; i++) {
      const at = t0 + i * gap;
      const wait = at - performance.now();
      if (wait > 1) await sleep(wait);
      void load.arrive({ script: waiting[i % waiting.length], thinks: [] }, at, { idle: true });
    }
    const deadline = performance.now() + Math.max(60000, opts.idle * 20);
    while (load.c.replies + Object.values(load.errors).reduce((a, b) => a + b, 0) < opts.idle && performance.now() < deadline) await sleep(100);
    const openS = (performance.now() - t0) / 1000;
    await sleep(3000); // let the server's heap settle
    const mem = procMem(server.pid);
    const cpu = cpuBetween(mach0, cpuMark(server.pid));
    clearInterval(progress);
    const open = [...load.active].filter((c) => c.callId && !c.pending).length;
    await load.closeAll();
    clearInterval(progress);
    await stopServer(srv, false);
    return {
      kind,
      requested: opts.idle,
      open,
      openedInS: round(openS, 1),
      errors: load.errors,
      errorSamples: load.errorSamples,
      rssBeforeMiB: round(memBefore.rssKiB / 1024, 1),
      rssMiB: round(mem.rssKiB / 1024, 1),
      rssPeakMiB: round(mem.hwmKiB / 1024, 1),
      kibPerCall: open ? round((mem.rssKiB - memBefore.rssKiB) / open, 1) : null,
      connectP99Ms: stats(load.lat.connect).p99,
      startP99Ms: stats(load.lat.start).p99,
      otherCpuPct: cpu.otherPct,
    };
  } catch (e) {
    await stopServer(srv, false).catch(() => {});
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const ratio = (a, b) => (a !== null && b !== null && b > 0 ? round(a / b, 2) : null);

function printLoad(r) {
  const d = r.latency.decide;
  const s = r.latency.decideService;
  const lines = [
    '',
    `== ${r.kind}: load, ${r.windowS} s measured`,
    `concurrent calls      mean ${r.concurrent.mean} (min ${r.concurrent.min}, max ${r.concurrent.max}); arrivals λ ${r.lambda}/s, mean call ${r.meanCallS} s`,
    `agents                ${r.preconnect.conns} connections opened before the load in ${r.preconnect.s} s (connect p99 ${r.preconnect.connectP99} ms)`,
    `calls                 started ${r.counts.started}, completed ${r.counts.completed}, abandoned ${r.counts.abandoned}; connections ${r.counts.connectOk} (failed ${r.counts.connectFail}), connect p99 ${r.latency.connect.p99} ms`,
    `messages/s            ${r.decisionsPerS} (starts + decisions answered in the window; decisions only ${r.decidesPerS}); pushed views ${r.counts.pushes}; mean reply ${r.replyBytesMean} B`,
    `decide latency (ms)   from intended send: p50 ${d.p50}  p90 ${d.p90}  p99 ${d.p99}  p99.9 ${d.p999}  max ${d.max}  (n=${d.n})`,
    `                      from actual send:   p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max}`,
    `start latency (ms)    p50 ${r.latency.start.p50}  p99 ${r.latency.start.p99}  (includes SIM_LATENCY_MS lookup on laihua)`,
    `errors                ${
      Object.keys(r.errors).length
        ? Object.entries(r.errors)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : 'none'
    }`,
  ];
  for (const [k, v] of Object.entries(r.errorSamples)) for (const x of v) lines.push(`    ${k}: ${x}`);
  lines.push(
    `server                CPU ${r.server.cpuPct}% of a core (main thread ${r.server.mainThreadPct}%), ${r.server.cpuMsPerMessage} ms CPU per message; RSS ${r.server.rssEndMiB} MiB (before load ${r.server.rssBeforeMiB}, peak ${r.server.rssPeakMiB}), ≈${r.server.kibPerActiveCall} KiB per active call`,
    `client                CPU ${r.client.cpuPct}%, event-loop lag p99 ${r.client.eventLoopLagP99Ms} ms`,
    `machine               other CPU ${r.otherCpuPct}% of a core, steal ${r.stealPct}%${r.otherCpuPct > 10 ? '  — INVALID RUN: the machine was not quiet' : ''}`,
  );
  if (r.db)
    lines.push(`database rows         calls ${r.db.calls}, call_events ${r.db.call_events}${r.db.messages !== undefined ? `, messages ${r.db.messages}` : ''}`);
  if (r.calibration) {
    lines.push(
      `script mix            ${r.calibration.valid} of ${r.calibration.of} catalogue scripts ran as scripted${
        Object.keys(r.calibration.dropped).length
          ? '; dropped: ' +
            Object.entries(r.calibration.dropped)
              .map(([k, v]) => `${k} ×${v}`)
              .join(', ')
          : ''
      }`,
    );
  }
  if (r.outputTail) for (const x of r.outputTail) lines.push(`    ${x.slice(0, 300)}`);
  if (r.cpuProfile) {
    lines.push(`cpu profile           ${r.cpuProfile.file} (${r.cpuProfile.samples} samples); self:`);
    for (const [pct, k] of r.cpuProfile.self) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
    lines.push('  inclusive:');
    for (const [pct, k] of r.cpuProfile.inclusive) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
  }
  console.log(lines.join('\n'));
}

function printIdle(r) {
  console.log(
    [
      '',
      `== ${r.kind}: ${r.requested} idle calls (opened in ${r.openedInS} s)`,
      `open and waiting      ${r.open}; errors ${Object.keys(r.errors).length ? JSON.stringify(r.errors) : 'none'}${Object.entries(r.errorSamples)
        .flatMap(([k, v]) => v.map((x) => `\n    ${k}: ${x}`))
        .join('')}`,
      `server RSS            ${r.rssMiB} MiB (before ${r.rssBeforeMiB}, peak ${r.rssPeakMiB}); ≈${r.kibPerCall} KiB per open call (connection included)`,
      `machine               other CPU ${r.otherCpuPct}% of a core`,
    ].join('\n'),
  );
}

function verdicts(opts, res) {
  const out = [];
  const L = res.laihua;
  const B = res.baseline;
  if (L) {
    const d = L.latency.decide;
    const expected = opts.calls * (1000 / opts.think);
    const ratioP99 = B ? ratio(d.p99, B.latency.decide.p99) : null;
    const checks = [
      [`${opts.calls} concurrent calls held`, L.concurrent.mean >= 0.95 * opts.calls, `mean ${L.concurrent.mean}`],
      [`≥ ${round(0.95 * expected, 0)} messages/s`, L.decisionsPerS >= 0.95 * expected, `${L.decisionsPerS}/s`],
      ['decide p99 < 25 ms', d.p99 !== null && d.p99 < 25, `p99 ${d.p99} ms`],
      ['decide p99 ≤ 2× baseline p99', ratioP99 !== null && ratioP99 <= 2, B ? `${ratioP99}× (baseline p99 ${B.latency.decide.p99} ms)` : 'no baseline run'],
      [
        'no errors',
        Object.keys(L.errors).length === 0,
        Object.keys(L.errors).length
          ? Object.entries(L.errors)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')
          : 'none',
      ],
    ];
    const failed = checks.filter(([, ok]) => !ok);
    const causes = [];
    if (L.otherCpuPct > 10) causes.push(`machine not quiet (other CPU ${L.otherCpuPct}% of a core)`);
    if (L.server.mainThreadPct >= 85)
      causes.push(`laihua's main thread saturated (${L.server.mainThreadPct}% of a core, ${L.server.cpuMsPerMessage} ms CPU per message)`);
    if (L.client.cpuPct >= 85) causes.push(`load client saturated (${L.client.cpuPct}%)`);
    if (L.server.cpuPct + L.client.cpuPct + (L.otherCpuPct ?? 0) >= 180)
      causes.push(`both cores busy (server ${L.server.cpuPct}% + client ${L.client.cpuPct}% + other ${L.otherCpuPct}%)`);
    if (!causes.length && failed.length)
      causes.push(`tail latency with the main thread at ${L.server.mainThreadPct}%: queueing behind bursts — see --cpu-profile`);
    out.push(
      `TARGET 1 (${opts.calls} calls × 1 decision/s, p99 < 25 ms, ≤ 2× baseline p99): ${failed.length ? 'GAP' : 'MET'} — ${checks.map(([n, ok, v]) => `${n}: ${ok ? 'yes' : 'NO'} (${v})`).join('; ')}${failed.length ? `. Cause: ${causes.join('; ')}` : ''}`,
    );
  }
  const I = res.idleLaihua;
  if (I) {
    const ok = I.open >= opts.idle && I.rssMiB < 1024;
    out.push(
      `TARGET 2 (${opts.idle} open idle calls under 1 GB RSS): ${ok ? 'MET' : 'GAP'} — ${I.open} open, RSS ${I.rssMiB} MiB, ≈${I.kibPerCall} KiB per call${res.idleBaseline ? ` (baseline: ${res.idleBaseline.kibPerCall} KiB per connection)` : ''}${I.open < opts.idle ? `; ${opts.idle - I.open} calls did not open: ${JSON.stringify(I.errors)}` : ''}`,
    );
  }
  const others = [L, B, I, res.idleBaseline].filter(Boolean).map((r) => r.otherCpuPct ?? 0);
  const worst = Math.max(0, ...others);
  out.push(
    worst > 10
      ? `VALIDITY: INVALID — other processes used up to ${worst}% of a core during a phase; rerun on a quiet machine`
      : `VALIDITY: ok (other CPU ≤ ${worst}% of a core in every phase)`,
  );
  return out;
}

function printComparison(L, B) {
  const rows = [
    '',
    '| | laihua | baseline | ratio |',
    '|---|---:|---:|---:|',
    ['messages/s', L.decisionsPerS, B.decisionsPerS],
    ['decide p50 ms', L.latency.decide.p50, B.latency.decide.p50],
    ['decide p99 ms', L.latency.decide.p99, B.latency.decide.p99],
    ['decide p99.9 ms', L.latency.decide.p999, B.latency.decide.p999],
    ['decide max ms', L.latency.decide.max, B.latency.decide.max],
    ['server CPU % of a core', L.server.cpuPct, B.server.cpuPct],
    ['server CPU ms per message', L.server.cpuMsPerMessage, B.server.cpuMsPerMessage],
    ['server RSS MiB', L.server.rssEndMiB, B.server.rssEndMiB],
    ['concurrent calls (mean)', L.concurrent.mean, B.concurrent.mean],
  ].map((r) => (Array.isArray(r) ? `| ${r[0]} | ${r[1]} | ${r[2]} | ${ratio(r[1], r[2]) ?? '—'}× |` : r));
  console.log(rows.join('\n'));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (!existsSync(opts.server)) {
    console.error(`${opts.server} not found: build first (npm run bench:open-loop builds)`);
    process.exit(2);
  }
  console.log(
    `laihua open-loop bench — ${new Date().toISOString()}, node ${process.version}, load average ${loadavg()
      .map((x) => round(x, 2))
      .join(' ')}, args: ${process.argv.slice(2).join(' ') || '(defaults)'}`,
  );
  let scripts = await cachedCatalogueScripts(ROOT, log);
  if (opts.flows) scripts = scripts.filter((s) => opts.flows.includes(s.flowId));
  const res = {};
  const endS = opts.ramp + 5 + opts.duration;
  // The plan is fixed once the laihua run has calibrated which scripts it takes; the baseline reuses it.
  const plan = {
    valid: scripts,
    schedule: null,
    ready(valid) {
      this.valid = valid;
      this.schedule = schedule(valid, opts, endS);
    },
  };
  plan.ready(scripts);
  if (opts.calls > 0) {
    if (opts.laihua) {
      res.laihua = await loadPhase('laihua', scripts, plan, opts);
      printLoad(res.laihua);
    }
    if (opts.baseline) {
      await sleep(2000);
      res.baseline = await loadPhase('baseline', scripts, plan, opts, { REPLY_BYTES: String(res.laihua?.replyBytesMean ?? 1500) });
      printLoad(res.baseline);
    }
    if (res.laihua && res.baseline) printComparison(res.laihua, res.baseline);
  }
  if (opts.idle > 0) {
    if (opts.laihua) {
      await sleep(2000);
      res.idleLaihua = await idlePhase('laihua', plan.valid, opts);
      printIdle(res.idleLaihua);
    }
    if (opts.baseline) {
      await sleep(2000);
      res.idleBaseline = await idlePhase('baseline', plan.valid, opts);
      printIdle(res.idleBaseline);
    }
  }
  console.log('');
  for (const v of verdicts(opts, res)) console.log(v);
  if (opts.json) console.log(JSON.stringify({ bench: 'open-loop', date: new Date().toISOString(), opts, ...res }));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
