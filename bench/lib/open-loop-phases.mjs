// The open-loop bench's phases: servers started and stopped, the measured load and the idle calls (bench/open-loop.mjs).

import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { Profiler, ROOT, bump, inspectDb, procCpuSeconds, round, sleep, summarize, topFunctions } from './harness.mjs';
import { parseTopology, startNodes } from './topology.mjs';
import { cpuBetween, cpuMark } from './cpu-window.mjs';
import { breakdownBetween, breakdownMark } from './server-breakdown.mjs';
import { tailWindows } from './tail-windows.mjs';
import { stallsInTail } from './stall-attribution.mjs';
import { drainEndOfCall } from './end-of-call-drain.mjs';
import { log } from './open-loop-cli.mjs';
import { Load } from './open-loop-client.mjs';

const BASELINE_ENTRY = path.join(ROOT, 'bench', 'baseline-server.mjs');

const stats = (samples) => summarize(samples, [50, 90, 99, 99.9]);

// ---------------------------------------------------------------------------------------------
// Phases

function serverOptions(kind, opts, env) {
  const profiling = kind === 'laihua' && opts.cpuProfile;
  return {
    latency: opts.latency,
    backendTimeout: null,
    verbose: opts.verbose,
    nodeArgs: kind === 'laihua' ? [...opts.nodeArgs, ...(profiling ? ['--inspect=127.0.0.1:0'] : [])] : [],
    entry: kind === 'laihua' ? opts.server : BASELINE_ENTRY,
    env,
  };
}

/** One server (the floor, or laihua on SQLite), or laihua's nodes on PostgreSQL (bench/lib/topology.mjs). */
async function startServer(kind, opts, env = {}, topology = parseTopology('sqlite')) {
  // The phase before wrote a log and deleted it: the kernel's threads write back its dirty pages for
  // seconds after, which the next phase's window counted as another job's CPU (14–19 % of a core in
  // the floor's idle phase, VALIDITY: INVALID). Flushed now, before anything is measured.
  execFileSync('sync');
  const server = await startNodes(kind === 'laihua' ? topology : parseTopology('sqlite'), serverOptions(kind, opts, env));
  const token = await server.login();
  return { server, token, dataDir: server.dataDir };
}

async function stopServer({ server }, inspect) {
  const exit = await server.stop();
  const db = inspect && !server.pg ? inspectDb(server.dataDir) : null;
  for (const d of server.dataDirs) rmSync(d, { recursive: true, force: true });
  return { exit, db };
}

/**
 * Runs every script once, 64 at a time: the ones the server takes as scripted go in the mix. A
 * decision waits CALIBRATION_THINK_MS after the last: back to back, a connection running script
 * after script went past the per-connection frame limit (20/s) and RATE_LIMITED dropped scripts.
 */
const CALIBRATION_THINK_MS = 60;

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
        const call = await load.arrive({ script: i, thinks: scripts[i].steps.map(() => CALIBRATION_THINK_MS) }, performance.now());
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

export async function loadPhase(kind, scripts, plan, opts, env = {}, topology = parseTopology('sqlite')) {
  const srv = await startServer(kind, opts, env, topology);
  const { server, token } = srv;
  let calibration = null;
  try {
    let valid = scripts;
    if (kind === 'laihua') {
      calibration = await calibrate(server, token, scripts, opts);
      valid = calibration.valid;
      log(`calibration: ${valid.length} of ${scripts.length} scripts run as scripted on the server`);
      // Several topologies in one run share the first one's plan: the same calls, the same schedule.
      if (!plan.calibrated) plan.ready(valid);
      plan.calibrated = true;
    }
    const { calls, lambda, meanS } = plan.schedule;
    for (const pid of server.pids) await settled(pid);
    const load = new Load({ server, token, scripts: plan.valid, opts, mode: kind });
    const tc = performance.now();
    await load.preconnect(Math.ceil(opts.calls * 1.1));
    const preconnect = {
      conns: load.idleConns.length,
      s: round((performance.now() - tc) / 1000, 1),
      connectP99: stats(load.lat.connect).p99,
    };
    log(`${kind}: ${preconnect.conns} agents connected in ${preconnect.s} s`);
    load.lat.connect = [];
    for (const pid of server.pids) await settled(pid);
    const memBefore = server.mem();
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
    let breakdown0 = null;
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
        mark0 = cpuMark(server.pids, server.pg?.pids() ?? []);
        if (kind === 'laihua' && server.servers.length === 1) breakdown0 = await breakdownMark(server);
        eld.enable();
        if (opts.cpuProfile && kind === 'laihua') profiler = await Profiler.start(server.inspectorUrl);
      }, load.window.from - performance.now());
    });
    const wait = load.window.to - performance.now();
    if (wait > 0) await sleep(wait);
    const mark1 = cpuMark(server.pids, server.pg?.pids() ?? []);
    const breakdown = breakdown0 ? breakdownBetween(breakdown0, await breakdownMark(server)) : null;
    eld.disable();
    const memEnd = server.mem();
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
    const endOfCall = kind === 'laihua' && opts.endOfCall !== false ? await drainEndOfCall(server) : null;
    const meanActive = active.length ? active.reduce((a, b) => a + b, 0) / active.length : 0;
    const decideTail = tailWindows(load.lat.decideAt, load.lat.decideCo);
    const { exit, db } = await stopServer(srv, true);
    return {
      kind,
      calibration: calibration && {
        valid: calibration.valid.length,
        of: scripts.length,
        dropped: calibration.dropped,
        samples: calibration.errorSamples,
      },
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
      latency: {
        decide: stats(load.lat.decideCo),
        decideTail,
        decideService: stats(load.lat.decideSvc),
        start: stats(load.lat.start),
        connect: stats(load.lat.connect),
      },
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
        nodes: cpu.nodes.map((n) => ({ ...n, cpuMsPerMessage: load.c.windowReplies ? round((1000 * n.cpuS) / load.c.windowReplies, 3) : null })),
        exit,
      },
      topology: kind === 'laihua' ? topology.name : null,
      database: server.pg ? { cpuPct: cpu.dbPct, cpuMsPerMessage: load.c.windowReplies ? round((1000 * cpu.dbCpuS) / load.c.windowReplies, 3) : null } : null,
      client: { cpuPct: cpu.clientPct, eventLoopLagP99Ms: round(Math.max(0, eld.percentile(99) / 1e6 - 10), 1) },
      otherCpuPct: cpu.otherPct,
      kernelCpuPct: cpu.kernelPct,
      stealPct: cpu.stealPct,
      db: db && db.tables,
      cpuProfile: profileTop,
      breakdown,
      // --probe: what laihua's threads did in the worst tail windows (one node: the probe reads one process).
      tailStalls: opts.probe && kind === 'laihua' && server.servers.length === 1 ? stallsInTail(server.servers[0].probeNotes, decideTail) : null,
      endOfCall,
      outputTail: server.lines ? server.tail.slice(-8) : undefined,
    };
  } catch (e) {
    await stopServer(srv, false).catch(() => {});
    throw e;
  }
}

/** N calls started and left waiting at their first agent step (no decision), then weighed. */
export async function idlePhase(kind, scripts, opts) {
  const srv = await startServer(kind, opts);
  const { server, token } = srv;
  try {
    await sleep(1000);
    const memBefore = server.mem();
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
    const mem = server.mem();
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
      kernelCpuPct: cpu.kernelPct,
    };
  } catch (e) {
    await stopServer(srv, false).catch(() => {});
    throw e;
  }
}
