// Where the open-loop bench's laihua runs (bench/open-loop.mjs --topologies): `sqlite` — one node on
// its SQLite file (the default); `pgN` — N nodes on one throwaway PostgreSQL cluster, the agents
// spread over them round robin (as a load balancer would), the cluster's processes weighed too.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, procMem, Server } from './harness.mjs';
import { startPgCluster } from './pg-cluster.mjs';

export function parseTopology(name) {
  if (name === 'sqlite') return { name, nodes: 1, postgres: false };
  const m = /^pg([1-9])$/.exec(name);
  if (!m) throw new Error(`unknown topology ${name}: sqlite, pg1 … pg9`);
  return { name, nodes: Number(m[1]), postgres: true };
}

/**
 * Starts the topology's nodes (one after the other: the first migrates the database). The group
 * answers like one Server for the load client: `port` hands out the nodes' ports in turn.
 */
export async function startNodes(topology, serverOptions) {
  const pg = topology.postgres ? await startPgCluster() : null;
  const servers = [];
  const dataDirs = [];
  try {
    for (let i = 0; i < topology.nodes; i++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), `laihua-open-loop-${topology.name}-${i}-`));
      dataDirs.push(dataDir);
      const env = { ...serverOptions.env, ...(pg ? { DATABASE_URL: pg.url, NODE_ID: `bench-${i + 1}` } : {}) };
      const server = new Server({ ...serverOptions, port: await freePort(), dataDir, env });
      servers.push(server);
      await server.waitHealthy(60000);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.stop()));
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    pg?.stop();
    throw e;
  }
  let turn = 0;
  return {
    topology,
    servers,
    dataDirs,
    pg,
    dataDir: dataDirs[0],
    pid: servers[0].pid,
    pids: servers.map((s) => s.pid),
    get inspectorUrl() {
      return servers[0].inspectorUrl;
    },
    get port() {
      return servers[turn++ % servers.length].port;
    },
    get lines() {
      return servers.reduce((n, s) => n + s.lines, 0);
    },
    get tail() {
      return servers.flatMap((s) => s.tail);
    },
    url: (p) => servers[0].url(p),
    login: () => servers[0].login(),
    /** RSS of all nodes together. */
    mem() {
      const all = servers.map((s) => procMem(s.pid));
      return { rssKiB: all.reduce((n, m) => n + (m.rssKiB ?? 0), 0), hwmKiB: all.reduce((n, m) => n + (m.hwmKiB ?? 0), 0) };
    },
    async stop() {
      const exits = await Promise.all(servers.map((s) => s.stop()));
      pg?.stop();
      return exits.length === 1 ? exits[0] : exits;
    },
  };
}
