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

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';

import {
  DEFAULT_SERVER_ENTRY,
  HOST,
  Profiler,
  Server,
  bump,
  freePort,
  inspectDb,
  machineCpuSeconds,
  procCpuSeconds,
  procMem,
  round,
  sleep,
  summarize,
  topFunctions,
} from './lib/harness.mjs';

let SERVER_ENTRY = DEFAULT_SERVER_ENTRY;

// ---------------------------------------------------------------------------------------------
// The scripted happy path of flows/suspend-service.json for a caller whose back end answers ok.

const FLOW_ID = 'suspend-service';
/** What the agent answers on each step that asks for a decision. */
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
/** Steps where the back end works and the server pushes the next view by itself. */
const WAIT_STEPS = new Set(['checking-password', 'checking-document', 'executing']);
/** The step each request (or back-end step) must lead to on the happy path. */
const NEXT = {
  start: 'check-eligibility',
  'check-eligibility': 'confirm-reason',
  'confirm-reason': 'warn',
  warn: 'upsell',
  upsell: 'verify',
  verify: 'checking-password',
  'checking-password': 'execute',
  execute: 'executing',
  executing: 'remind',
  remind: 'close',
  close: 'completed',
};
const FINAL_STEPS = new Set(['completed', 'not-eligible', 'offer-accepted', 'verification-locked', 'execution-failed']);

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
  --node-arg ARG      extra node option for the server, repeatable (e.g. --node-arg=--max-old-space-size=512)
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
  const o = {
    agents: 200,
    matrix: null,
    duration: 20,
    ramp: 2,
    think: 1000,
    latency: 30,
    backendTimeout: null,
    callers: ['13800000001'],
    timeout: 10000,
    json: false,
    keepData: false,
    verbose: false,
    nodeArgs: [],
    cpuProfile: null,
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
      case '--agents':
        o.agents = Math.floor(num(flag, val()));
        break;
      case '--matrix':
        o.matrix = String(val())
          .split(',')
          .map((s) => Math.floor(num(flag, s.trim())));
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
      case '--latency':
        o.latency = num(flag, val());
        break;
      case '--backend-timeout':
        o.backendTimeout = num(flag, val());
        break;
      case '--caller':
        o.callers = String(val())
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--timeout':
        o.timeout = num(flag, val());
        break;
      case '--server':
        SERVER_ENTRY = path.resolve(String(val()));
        break;
      case '--node-arg':
        o.nodeArgs.push(String(val()));
        break;
      case '--cpu-profile':
        o.cpuProfile = path.resolve(String(val()));
        break;
      case '--json':
        o.json = true;
        break;
      case '--keep-data':
        o.keepData = true;
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
  if (o.ramp >= o.duration) o.ramp = Math.max(0, o.duration / 4);
  return o;
}

// ---------------------------------------------------------------------------------------------
// One simulated agent: one WebSocket, whole calls back to back.

class Agent {
  constructor(id, run) {
    this.id = id;
    this.run = run;
    this.callerNumber = run.opts.callers[id % run.opts.callers.length];
    this.ws = null;
    this.callId = null;
    this.seq = -Infinity;
    this.stepId = null;
    this.pending = null; // { requestId, sentAt, kind, fromStep, timer }
    this.waitSince = null; // waiting for a pushed view since (performance.now())
    this.waitTimer = null;
    this.thinkTimer = null;
    this.open = false;
    this.closedByUs = false;
  }

  connect(token) {
    const { run } = this;
    const url = `ws://${HOST}:${run.server.port}/ws?token=${encodeURIComponent(token)}&locale=en`;
    const t0 = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10000 });
    this.ws = ws;
    ws.on('open', () => {
      this.open = true;
      run.connectMs.push(performance.now() - t0);
      run.connected++;
      if (!run.stopping) this.startCall();
    });
    ws.on('unexpected-response', (_req, res) => {
      run.error(`connect-refused:HTTP ${res.statusCode}`, `agent ${this.id}`);
      res.resume();
    });
    ws.on('message', (buf) => this.onMessage(buf));
    ws.on('error', (e) => {
      if (!this.closedByUs) run.error(`ws-error:${e.code || e.message}`, `agent ${this.id}: ${e.message}`);
    });
    ws.on('close', (code, reason) => {
      const wasOpen = this.open;
      this.open = false;
      this.clearTimers();
      if (!this.closedByUs && wasOpen) run.error(`ws-closed:${code}`, `agent ${this.id}: ${reason?.toString() || ''}`);
    });
  }

  clearTimers() {
    clearTimeout(this.thinkTimer);
    clearTimeout(this.waitTimer);
    if (this.pending) clearTimeout(this.pending.timer);
    this.thinkTimer = this.waitTimer = null;
  }

  thinkMs() {
    const t = this.run.opts.think;
    return t * (0.8 + 0.4 * Math.random());
  }

  /** After an agent-facing view: think, then act (unless the run is over). */
  later(fn) {
    clearTimeout(this.thinkTimer);
    this.thinkTimer = setTimeout(() => {
      this.thinkTimer = null;
      if (!this.run.stopping && this.open) fn();
    }, this.thinkMs());
  }

  send(event, data, kind, fromStep) {
    const requestId = randomUUID();
    const frame = JSON.stringify({ event, data: { requestId, ...data } });
    const timer = setTimeout(() => {
      if (this.pending?.requestId !== requestId) return;
      this.run.error('no-reply', `agent ${this.id}: ${event} from step ${fromStep} (seq ${data.seq}) had no reply after ${this.run.opts.timeout} ms`);
      this.run.timedOut.add(requestId);
      this.pending = null;
      this.abandon();
    }, this.run.opts.timeout);
    this.pending = { requestId, sentAt: performance.now(), kind, fromStep, timer };
    this.run.sent[kind]++;
    this.ws.send(frame);
  }

  startCall() {
    this.callId = null;
    this.seq = -Infinity;
    this.stepId = null;
    this.send('call.start', { callerNumber: this.callerNumber, flowId: FLOW_ID }, 'start', 'start');
  }

  /** Give up on the current call (after an error or an unexpected view) and start a fresh one. */
  abandon() {
    this.run.callsAbandoned++;
    if (this.callId && this.open) {
      // end the call on the server too, so abandoned calls do not pile up as live calls
      const requestId = randomUUID();
      this.run.hangups.add(requestId);
      this.ws.send(JSON.stringify({ event: 'call.hangup', data: { requestId, callId: this.callId } }));
    }
    this.callId = null;
    this.waitSince = null;
    clearTimeout(this.waitTimer);
    this.later(() => this.startCall());
  }

  onMessage(buf) {
    const run = this.run;
    const now = performance.now();
    let msg;
    try {
      msg = JSON.parse(buf.toString('utf8'));
    } catch {
      run.error('client:bad-json-frame', buf.toString('utf8').slice(0, 200));
      return;
    }
    const { event, data } = msg || {};
    if (event !== 'call.view' && event !== 'call.error') {
      bump(run.otherEvents, String(event));
      return;
    }
    const rid = data?.requestId;
    let isReply = false;
    let req = null;
    if (rid !== undefined && rid !== null) {
      if (this.pending && this.pending.requestId === rid) {
        req = this.pending;
        clearTimeout(req.timer);
        this.pending = null;
        isReply = true;
        const ms = now - req.sentAt;
        run.latency.all.push(ms);
        run.latency[req.kind].push(ms);
        run.replies++;
        if (now >= run.steadyFrom && now <= run.stopAt) run.steadyReplies++;
      } else if (run.hangups.has(rid)) {
        run.hangups.delete(rid); // answer to our clean-up hangup: not a decision, not timed
        return;
      } else if (run.timedOut.has(rid)) {
        run.anomaly('late-reply', `agent ${this.id}: reply for ${rid} after the client timeout`);
        return;
      } else {
        run.anomaly('unmatched-requestId', `agent ${this.id}: ${event} requestId ${rid} ${JSON.stringify(data).slice(0, 200)}`);
        return;
      }
    }

    if (event === 'call.error') {
      const code = data?.code ?? '(no code)';
      run.error(code, `agent ${this.id}${req ? ` after ${req.kind} from step ${req.fromStep}` : ' (unsolicited)'}: ${data?.message ?? ''}`);
      if (isReply) this.abandon();
      return;
    }

    // call.view
    const view = data || {};
    if (!isReply) run.pushes++;
    if (isReply && req.kind === 'start') {
      this.callId = view.callId;
    } else if (view.callId !== this.callId) {
      run.anomaly('view-for-other-call', `agent ${this.id}: got view for ${view.callId}, current call ${this.callId}${isReply ? ' (reply)' : ' (push)'}`);
      return;
    }
    if (typeof view.seq !== 'number') {
      run.error('client:view-without-seq', JSON.stringify(view).slice(0, 300));
      if (isReply) this.abandon();
      return;
    }
    if (view.seq <= this.seq) {
      run.anomaly('stale-view', `agent ${this.id}: seq ${view.seq} <= latest ${this.seq} (step ${view.step?.id}, ${isReply ? 'reply' : 'push'})`);
      return;
    }
    this.seq = view.seq;

    const prevStep = isReply ? req.fromStep : this.stepId;
    const stepId = view.step?.id;
    this.stepId = stepId;

    if (!isReply) {
      // a push: only expected while a back-end step is running
      if (this.waitSince === null) {
        run.anomaly('unexpected-push', `agent ${this.id}: pushed step ${stepId} while at ${prevStep}`);
      } else {
        run.pushMs.push(now - this.waitSince);
        this.waitSince = null;
        clearTimeout(this.waitTimer);
      }
    }

    const expected = NEXT[prevStep];
    if (stepId !== expected) {
      run.error(
        'client:wrong-view',
        `agent ${this.id}: after ${prevStep} expected step ${expected}, got ${stepId} (status ${view.status}, outcome ${view.outcome ?? '-'})`,
      );
      this.abandon();
      return;
    }

    if (FINAL_STEPS.has(stepId)) {
      if (view.status === 'completed' || view.outcome === 'completed') {
        run.callsCompleted++;
      } else {
        run.error('client:wrong-final-status', `agent ${this.id}: final step ${stepId} with status ${view.status}, outcome ${view.outcome}`);
      }
      this.callId = null;
      this.later(() => this.startCall());
      return;
    }

    if (WAIT_STEPS.has(stepId)) {
      this.waitSince = now;
      const limit = Math.max(run.opts.timeout, (run.opts.backendTimeout ?? 0) + 5000);
      this.waitTimer = setTimeout(() => {
        if (this.waitSince === null) return;
        this.waitSince = null;
        run.error('client:no-push', `agent ${this.id}: no pushed view ${limit} ms after entering ${stepId}`);
        this.abandon();
      }, limit);
      return;
    }

    const plan = PLAN[stepId];
    const options = Array.isArray(view.step?.options) ? view.step.options.map((o) => o?.id) : [];
    if (!options.includes(plan.option)) {
      run.error('client:option-missing', `agent ${this.id}: step ${stepId} offers [${options.join(', ')}], not ${plan.option}`);
      this.abandon();
      return;
    }
    const seq = view.seq;
    this.later(() => {
      const data = { callId: this.callId, seq, option: plan.option };
      if (plan.input) data.input = plan.input;
      this.send('call.decide', data, 'decide', stepId);
    });
  }

  close() {
    this.closedByUs = true;
    this.clearTimers();
    if (!this.ws) return Promise.resolve();
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 3000);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else this.ws.close(1000, 'bench done');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// One run: fresh server, N agents, summary.

async function runOnce(agents, opts) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-bench-'));
  const port = await freePort();
  const nodeArgs = opts.cpuProfile ? [...opts.nodeArgs, '--inspect=127.0.0.1:0'] : opts.nodeArgs;
  const server = new Server({
    port,
    dataDir,
    latency: opts.latency,
    backendTimeout: opts.backendTimeout,
    verbose: opts.verbose,
    nodeArgs,
    entry: SERVER_ENTRY,
  });
  let profiler = null;
  const run = {
    opts,
    server,
    stopping: false,
    steadyFrom: Infinity,
    stopAt: Infinity,
    connected: 0,
    connectMs: [],
    sent: { start: 0, decide: 0 },
    replies: 0,
    steadyReplies: 0,
    pushes: 0,
    callsCompleted: 0,
    callsAbandoned: 0,
    latency: { all: [], start: [], decide: [] },
    pushMs: [],
    errors: {},
    errorSamples: {},
    anomalies: {},
    anomalySamples: {},
    otherEvents: {},
    timedOut: new Set(),
    hangups: new Set(),
    error(code, detail) {
      bump(this.errors, code);
      const s = (this.errorSamples[code] ||= []);
      if (s.length < 3 && detail) s.push(detail);
    },
    anomaly(code, detail) {
      bump(this.anomalies, code);
      const s = (this.anomalySamples[code] ||= []);
      if (s.length < 3 && detail) s.push(detail);
    },
  };
  const log = (s) => process.stderr.write(`[bench ${agents}] ${s}\n`);
  let result = null;
  const list = [];
  const loadBefore = round(loadavg()[0], 2);
  try {
    const bootMs = await server.waitHealthy();
    const token = await server.login();
    await sleep(500); // let start-up garbage settle before the baseline
    const base = procMem(server.pid);
    log(
      `server pid ${server.pid} on :${port} healthy after ${Math.round(bootMs)} ms, RSS ${Math.round(base.rssKiB / 1024)} MiB; ramping ${agents} agents over ${opts.ramp} s`,
    );

    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    const cpu0 = process.cpuUsage();
    const srvCpu0 = procCpuSeconds(server.pid);
    const mach0 = machineCpuSeconds();
    const t0 = performance.now();
    run.steadyFrom = t0 + opts.ramp * 1000;
    run.stopAt = t0 + opts.duration * 1000;

    for (let i = 0; i < agents; i++) list.push(new Agent(i, run));
    // ramp: spread connection attempts evenly over opts.ramp seconds
    const rampTimers = list.map((a, i) =>
      setTimeout(
        () => {
          if (!run.stopping) a.connect(token);
        },
        (i * opts.ramp * 1000) / Math.max(1, agents),
      ),
    );

    // mid-run progress line every 5 s
    const progress = setInterval(() => {
      const el = (performance.now() - t0) / 1000;
      log(
        `t=${el.toFixed(0)}s connected=${run.connected} replies=${run.replies} calls=${run.callsCompleted} errors=${Object.values(run.errors).reduce((a, b) => a + b, 0)}`,
      );
    }, 5000);

    if (opts.cpuProfile) {
      await sleep(opts.ramp * 1000);
      profiler = await Profiler.start(server.inspectorUrl);
      await sleep((opts.duration - opts.ramp) * 1000);
    } else {
      await sleep(opts.duration * 1000);
    }
    run.stopping = true;
    clearInterval(progress);
    rampTimers.forEach(clearTimeout);
    const tStop = performance.now();
    // drain: wait (up to 5 s) for replies to requests already sent
    const drainStart = performance.now();
    while (list.some((a) => a.pending) && performance.now() - drainStart < 5000) await sleep(20);
    const stillPending = list.filter((a) => a.pending).length;
    if (stillPending) run.error('client:unanswered-at-stop', `${stillPending} requests had no reply 5 s after the run stopped`);

    const cpu = process.cpuUsage(cpu0);
    const srvCpu1 = procCpuSeconds(server.pid);
    const mach1 = machineCpuSeconds();
    const wallS = (tStop - t0) / 1000;
    eld.disable();
    const mem = procMem(server.pid); // sockets still open here
    let profileTop = null;
    if (profiler) {
      const file = opts.matrix ? opts.cpuProfile.replace(/(\.cpuprofile)?$/, `-${agents}.cpuprofile`) : opts.cpuProfile;
      const profile = await profiler.stop();
      writeFileSync(file, JSON.stringify(profile));
      profileTop = { file, ...topFunctions(profile) };
    }
    const openAtEnd = list.filter((a) => a.open).length;

    await Promise.all(list.map((a) => a.close()));
    const exit = await server.stop();

    const steadyS = (run.stopAt - run.steadyFrom) / 1000;
    result = {
      agents,
      durationS: opts.duration,
      rampS: opts.ramp,
      thinkMs: opts.think,
      simLatencyMs: opts.latency,
      connected: run.connected,
      openAtEnd,
      callsCompleted: run.callsCompleted,
      callsAbandoned: run.callsAbandoned,
      sent: { ...run.sent, total: run.sent.start + run.sent.decide },
      replies: run.replies,
      pushedViews: run.pushes,
      decisionsPerS: round(run.steadyReplies / steadyS, 1),
      decisionsPerSOverall: round(run.replies / wallS, 1),
      latencyMs: summarize(run.latency.all),
      latencyMsDecide: summarize(run.latency.decide),
      latencyMsStart: summarize(run.latency.start),
      pushDelayMs: summarize(run.pushMs),
      connectMs: summarize(run.connectMs),
      errors: run.errors,
      errorSamples: run.errorSamples,
      anomalies: run.anomalies,
      anomalySamples: run.anomalySamples,
      otherEvents: run.otherEvents,
      server: {
        rssBaseMiB: round(base.rssKiB / 1024, 1),
        rssEndMiB: round(mem.rssKiB / 1024, 1),
        rssPeakMiB: round(mem.hwmKiB / 1024, 1),
        rssPerConnKiB: openAtEnd ? round((mem.rssKiB - base.rssKiB) / openAtEnd, 1) : null,
        cpuPct: srvCpu0 !== null && srvCpu1 !== null ? round((100 * (srvCpu1 - srvCpu0)) / wallS, 0) : null,
        outputLines: server.lines,
        exit,
      },
      client: {
        cpuPct: round((100 * (cpu.user + cpu.system)) / 1e6 / wallS, 0),
        // the histogram records whole timer intervals: subtract the 10 ms resolution to get the lag
        eventLoopDelayP99Ms: round(Math.max(0, eld.percentile(99) / 1e6 - 10), 1),
        eventLoopDelayMaxMs: round(Math.max(0, eld.max / 1e6 - 10), 1),
      },
      db: inspectDb(dataDir),
      cpuProfile: profileTop,
      loadAvgBefore: loadBefore,
      // CPU used during the run by everything except this server and this client, in % of one core:
      // anything well above a few % means another job shared the 2 cores and the numbers are off
      otherCpuPct:
        mach0 && mach1 && srvCpu0 !== null && srvCpu1 !== null
          ? round(Math.max(0, (100 * (mach1.busy - mach0.busy - (srvCpu1 - srvCpu0) - (cpu.user + cpu.system) / 1e6)) / wallS), 0)
          : null,
      // CPU time the hypervisor gave to other guests while we wanted it, in % of one core
      stealCpuPct: mach0 && mach1 ? round((100 * (mach1.steal - mach0.steal)) / wallS, 0) : null,
    };
    if (server.lines) result.server.outputTail = server.tail.slice(-10);
    return result;
  } finally {
    run.stopping = true;
    await Promise.all(list.map((a) => a.close())).catch(() => {});
    await server.stop().catch(() => {});
    profiler?.ws.terminate();
    if (opts.keepData) log(`kept DATA_DIR ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function printRun(r) {
  const l = r.latencyMs;
  const d = r.latencyMsDecide;
  const lines = [
    '',
    `== ${r.agents} agents, ${r.durationS} s (ramp ${r.rampS} s), think ${r.thinkMs} ms ±20%, SIM_LATENCY_MS ${r.simLatencyMs}`,
    `connected             ${r.connected}/${r.agents} (open at end ${r.openAtEnd}); connect p50 ${r.connectMs.p50} ms, p99 ${r.connectMs.p99} ms`,
    `calls completed       ${r.callsCompleted} (abandoned after an error: ${r.callsAbandoned})`,
    `requests sent         ${r.sent.total} (${r.sent.start} call.start + ${r.sent.decide} call.decide); replies ${r.replies}; pushed views ${r.pushedViews}`,
    `decisions/s           ${r.decisionsPerS} after ramp (${r.decisionsPerSOverall} over the whole run)`,
    `latency, all (ms)     p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}  (n=${l.n})`,
    `latency, decide (ms)  p50 ${d.p50}  p90 ${d.p90}  p99 ${d.p99}  max ${d.max}`,
    `latency, start (ms)   p50 ${r.latencyMsStart.p50}  p90 ${r.latencyMsStart.p90}  p99 ${r.latencyMsStart.p99}  max ${r.latencyMsStart.max}`,
    `push after back end   p50 ${r.pushDelayMs.p50}  p99 ${r.pushDelayMs.p99}  max ${r.pushDelayMs.max} ms (includes SIM_LATENCY_MS)`,
    `errors                ${
      Object.keys(r.errors).length
        ? Object.entries(r.errors)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : 'none'
    }`,
  ];
  for (const [k, s] of Object.entries(r.errorSamples)) for (const x of s) lines.push(`    ${k}: ${x}`);
  if (Object.keys(r.anomalies).length) {
    lines.push(
      `anomalies             ${Object.entries(r.anomalies)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
    for (const [k, s] of Object.entries(r.anomalySamples)) for (const x of s) lines.push(`    ${k}: ${x}`);
  }
  if (Object.keys(r.otherEvents).length) lines.push(`other events          ${JSON.stringify(r.otherEvents)}`);
  lines.push(
    `server RSS            ${r.server.rssEndMiB} MiB at end (base ${r.server.rssBaseMiB}, peak ${r.server.rssPeakMiB}); ≈${r.server.rssPerConnKiB} KiB per open connection`,
    `server CPU            ${r.server.cpuPct}% of one core; client CPU ${r.client.cpuPct}%, client event-loop lag p99 ${r.client.eventLoopDelayP99Ms} ms (max ${r.client.eventLoopDelayMaxMs})`,
    `machine               other processes used ${r.otherCpuPct}% of one core during the run, steal ${r.stealCpuPct}% (load average before: ${r.loadAvgBefore})`,
    `server exit           ${JSON.stringify(r.server.exit)}; ${r.server.outputLines} lines of output at LOG_LEVEL=warn`,
    `database              ${JSON.stringify(r.db.files)} rows ${JSON.stringify(r.db.tables)}${r.db.note ? ` (${r.db.note})` : ''}`,
  );
  if (r.server.outputTail) for (const x of r.server.outputTail) lines.push(`    ${x.slice(0, 300)}`);
  if (r.otherCpuPct > 10) lines.push(`WARNING: other processes used ${r.otherCpuPct}% of a core during this run — the machine was not quiet; rerun`);
  if (r.cpuProfile) {
    lines.push(`cpu profile           ${r.cpuProfile.file} (${r.cpuProfile.samples} samples); self time:`);
    for (const [pct, k] of r.cpuProfile.self) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
    lines.push('  inclusive:');
    for (const [pct, k] of r.cpuProfile.inclusive) lines.push(`    ${String(pct).padStart(5)}%  ${k}`);
  }
  console.log(lines.join('\n'));
}

function printTable(results) {
  const rows = [
    '| agents | connected | calls done | decisions/s | decide p50 ms | p90 | p99 | max | start p50 ms | errors | server RSS MiB | KiB/conn | server CPU | client CPU | other CPU |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    if (r.failed) {
      rows.push(`| ${r.agents} | run failed: ${r.failed.split('\n')[0]} |`);
      continue;
    }
    const d = r.latencyMsDecide;
    const errs =
      Object.entries(r.errors)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '0';
    rows.push(
      `| ${r.agents} | ${r.connected} | ${r.callsCompleted} | ${r.decisionsPerS} | ${d.p50} | ${d.p90} | ${d.p99} | ${d.max} | ${r.latencyMsStart.p50} | ${errs} | ${r.server.rssEndMiB} | ${r.server.rssPerConnKiB} | ${r.server.cpuPct}% | ${r.client.cpuPct}% | ${r.otherCpuPct}% |`,
    );
  }
  console.log(`\n${rows.join('\n')}`);
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
  if (!existsSync(SERVER_ENTRY)) {
    console.error(`${SERVER_ENTRY} not found: build first (npm run bench does nest build && node bench/suspend-load.mjs)`);
    process.exit(2);
  }
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
