// One run of the suspend-service load bench: a fresh server, N agents, the summary (bench/suspend-load.mjs).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import {
  bump,
  counts,
  freePort,
  inspectDb,
  machineCpuSeconds,
  procCpuSeconds,
  procMem,
  Profiler,
  round,
  Server,
  sleep,
  summarize,
  topFunctions,
} from './harness.mjs';
import { Agent } from './suspend-agent.mjs';

// One run: fresh server, N agents, summary.

export async function runOnce(agents, opts) {
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
    entry: opts.server,
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
  let result;
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

export function printRun(r) {
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
    `errors                ${counts(r.errors)}`,
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

export function printTable(results) {
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
