// A node lost with its calls (bench/open-loop.mjs --recover N --recover-on pg-node-loss): two nodes
// on one throwaway PostgreSQL cluster; N calls are left live on the first (each started and taken
// through its first agent decisions, waiting on an agent step), the first is SIGKILLed, and every
// agent attaches again on the second, as a load balancer would send them (docs/SCALE-OUT.md). Each
// attach moves its call there (a claim, its log read, the call rebuilt) without waiting for the lost
// node's lease to run out. Measured from the kill: every call attached on the second node at the step
// it was at.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Server, freePort, round } from './harness.mjs';
import { log } from './open-loop-cli.mjs';
import { startPgCluster } from './pg-cluster.mjs';
import { attachAll, openLiveCalls, recoveryServerOptions, waitingScripts } from './recovery-phase.mjs';

export async function nodeLossPhase(scripts, opts) {
  const decisions = opts.recoverDecisions;
  const waiting = waitingScripts(scripts, decisions);
  const pg = await startPgCluster();
  const dataDirs = [];
  const servers = [];
  const node = async (i) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `laihua-open-loop-node-loss-${i}-`));
    dataDirs.push(dataDir);
    const env = { DATABASE_URL: pg.url, NODE_ID: `bench-${i}` };
    const server = new Server({ ...recoveryServerOptions(opts, dataDir, env), port: await freePort() });
    servers.push(server);
    await server.waitHealthy(60_000);
    return server;
  };
  try {
    const lost = await node(1);
    const survivor = await node(2);
    const [lostToken, survivorToken] = [await lost.login(), await survivor.login()];
    const t0 = performance.now();
    const opened = await openLiveCalls(lost, lostToken, waiting, opts.recover, decisions);
    log(`node loss: ${opened.live.size} live calls opened on node 1 in ${round((performance.now() - t0) / 1000, 1)} s; SIGKILL`);
    lost.child.kill('SIGKILL');
    await lost.exited;
    const killedAt = performance.now();
    const attached = await attachAll(survivor.port, survivorToken, opened.live);
    return {
      live: opened.live.size,
      decisionsEach: decisions,
      openErrors: opened.errors,
      attachedMs: round(performance.now() - killedAt, 0),
      attachedSameStep: attached.sameStep,
      attachErrors: attached.errors,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
    pg.stop();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  }
}

export function printNodeLoss(r) {
  console.log('');
  console.log(`NODE LOSS — ${r.live} live calls (each started + ${r.decisionsEach} decisions) on node 1 of 2 on one PostgreSQL cluster, node 1 SIGKILLed`);
  console.log(
    `  all attached again on node 2 ${r.attachedMs} ms after the kill; ${r.attachedSameStep}/${r.live} at the step they were at; ` +
      `attach errors ${JSON.stringify(r.attachErrors)}; open errors ${JSON.stringify(r.openErrors)}`,
  );
}
