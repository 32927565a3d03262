// Crash recovery at scale (bench/open-loop.mjs --recover N): N calls are left live mid-way (each
// started and taken through its first agent decisions, waiting on an agent step), the server is
// SIGKILLed, and a new one is started on the same data directory. Measured from the new process's
// spawn: the server answering health (every live call rebuilt: recovery runs before it listens),
// and every call attached again by its agent (the same token: agents keep theirs across a
// restart) at the step it was at before the kill. The server's own log line says where the time
// went (reading the active calls, rebuilding them).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Server, freePort, round, sleep } from './harness.mjs';
import { startPgCluster } from './pg-cluster.mjs';
import { log } from './open-loop-cli.mjs';
import { PipelinedAgent, decideData, inParallel } from './pipelined-agent.mjs';

export const SOCKETS = 16;
const IN_FLIGHT = 128;
/** Bench agents are machines: frame limits off (the limits have their own tests). */
// The per-user limits and caps are off in every bench server (harness.mjs Server); per connection too here.
const NO_LIMITS = { WS_RATE_PER_CONNECTION: '0', LOG_LEVEL: 'info' };

/** Scripts whose first `decisions` steps are agent decisions followed by another agent step: such calls stay live and idle. */
export function waitingScripts(scripts, decisions) {
  const waiting = scripts.filter(
    (s) => s.steps.slice(0, decisions + 1).length === decisions + 1 && s.steps.slice(0, decisions + 1).every((st) => st.kind === 'decide'),
  );
  if (!waiting.length) throw new Error(`no script starts with ${decisions} agent decisions and another agent step`);
  return waiting;
}

/** A server of the recovery phases (this one and node-loss-phase.mjs): the bench's options, frame limits off, `env` added. */
export function recoveryServerOptions(opts, dataDir, env) {
  return {
    dataDir,
    latency: opts.latency,
    backendTimeout: null,
    verbose: opts.verbose,
    nodeArgs: opts.nodeArgs,
    entry: opts.server,
    env: { ...NO_LIMITS, ...env },
  };
}

export async function openLiveCalls(server, token, scripts, n, decisions) {
  const agents = await Promise.all(Array.from({ length: SOCKETS }, () => PipelinedAgent.open(server.port, token)));
  const live = new Map(); // callId → step id it waits at
  const errors = {};
  await inParallel(n, IN_FLIGHT, async (i) => {
    const script = scripts[i % scripts.length];
    const agent = agents[i % SOCKETS];
    let reply = await agent.request('call.start', { callerNumber: script.msisdn, flowId: script.flowId });
    for (let d = 0; d < decisions && reply.event === 'call.view'; d++) {
      reply = await agent.request('call.decide', decideData(reply.data.callId, reply.data.seq, script.steps[d]));
    }
    if (reply.event === 'call.view' && reply.data.status === 'active') live.set(reply.data.callId, reply.data.step?.id);
    else errors[reply.data?.code ?? reply.event] = (errors[reply.data?.code ?? reply.event] ?? 0) + 1;
  });
  for (const a of agents) a.close();
  return { live, errors };
}

export async function attachAll(port, token, live) {
  const agents = await Promise.all(Array.from({ length: SOCKETS }, () => PipelinedAgent.open(port, token)));
  const ids = [...live.keys()];
  let sameStep = 0;
  const errors = {};
  await inParallel(ids.length, IN_FLIGHT, async (i) => {
    const reply = await agents[i % SOCKETS].request('call.attach', { callId: ids[i] });
    if (reply.event === 'call.view' && reply.data.step?.id === live.get(ids[i])) sameStep++;
    else errors[reply.data?.code ?? reply.event] = (errors[reply.data?.code ?? reply.event] ?? 0) + 1;
  });
  for (const a of agents) a.close();
  return { sameStep, errors };
}

async function healthyWithin(server, timeoutMs) {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (server.exit) throw new Error(`server exited during recovery (${JSON.stringify(server.exit)})\n${server.tail.join('\n')}`);
    try {
      const res = await fetch(server.url('/api/health'), { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return res.json();
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`not healthy within ${timeoutMs} ms\n${server.tail.join('\n')}`);
}

export async function recoveryPhase(scripts, opts) {
  if (opts.recoverOn !== 'sqlite' && opts.recoverOn !== 'pg') throw new Error(`--recover-on ${opts.recoverOn}: sqlite, pg or pg-node-loss`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'laihua-open-loop-recovery-'));
  // On PostgreSQL the node comes back as a new incarnation of the same NODE_ID and takes its calls again.
  const pg = opts.recoverOn === 'pg' ? await startPgCluster() : null;
  const serverOpts = recoveryServerOptions(opts, dataDir, pg ? { DATABASE_URL: pg.url, NODE_ID: 'bench-recovery' } : {});
  const decisions = opts.recoverDecisions;
  const waiting = waitingScripts(scripts, decisions);
  let server = new Server({ ...serverOpts, port: await freePort() });
  try {
    await server.waitHealthy(60_000);
    const token = await server.login();
    const t0 = performance.now();
    const opened = await openLiveCalls(server, token, waiting, opts.recover, decisions);
    log(`recovery: ${opened.live.size} live calls opened in ${round((performance.now() - t0) / 1000, 1)} s; SIGKILL`);
    server.child.kill('SIGKILL');
    await server.exited;

    const spawnedAt = performance.now();
    server = new Server({ ...serverOpts, port: await freePort() });
    const health = await healthyWithin(server, 120_000);
    const healthyMs = performance.now() - spawnedAt;
    const attached = await attachAll(server.port, token, opened.live);
    const attachedMs = performance.now() - spawnedAt;
    // "recovered N of M active call(s) in T ms (reading A ms, rebuilding B ms), begun S ms after the process started", logged by the engine.
    const line = server.tail.find((l) => /recovered \d+ of \d+/.test(l)) ?? null;
    const ms = (name) => Number(line?.match(new RegExp(`${name} (\\d+(?:\\.\\d+)?) ms`))?.[1] ?? NaN);
    return {
      on: opts.recoverOn,
      live: opened.live.size,
      decisionsEach: decisions,
      openErrors: opened.errors,
      healthyMs: round(healthyMs, 0),
      attachedMs: round(attachedMs, 0),
      attachedSameStep: attached.sameStep,
      attachErrors: attached.errors,
      recoveryMs: round(ms('in'), 0),
      readMs: round(ms('reading'), 0),
      rebuildMs: round(ms('rebuilding'), 0),
      begunMs: round(ms('begun'), 0),
      healthStatus: health.status,
      engineLine: line,
    };
  } finally {
    await server.stop().catch(() => {});
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printRecovery(r) {
  console.log('');
  console.log(
    `RECOVERY — ${r.live} live calls (each started + ${r.decisionsEach} decisions), server SIGKILLed and started again on the same data (${r.on === 'pg' ? 'PostgreSQL' : 'SQLite'})`,
  );
  console.log(
    `  healthy (every call rebuilt) ${r.healthyMs} ms after spawn; all attached again ${r.attachedMs} ms after spawn (the attaches ${r.attachedMs - r.healthyMs} ms); ` +
      `${r.attachedSameStep}/${r.live} at the step they were at; attach errors ${JSON.stringify(r.attachErrors)}; open errors ${JSON.stringify(r.openErrors)}`,
  );
  console.log(
    `  engine: recovery ${r.recoveryMs} ms = reading the active calls' log ${r.readMs} ms + rebuilding ${r.rebuildMs} ms, begun ${r.begunMs} ms after the process started (start-up and boot)`,
  );
}
