// CPU used over a measured window (bench/open-loop.mjs): the server's processes, their main threads,
// the database's processes (PostgreSQL), the client and everything else on the machine, from /proc.

import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { machineCpuSeconds, procCpuSeconds, round } from './harness.mjs';

/** A mark of CPU time so far: each server process and its main thread, the database's processes, this client, the machine. */
export function cpuMark(pids, dbPids = []) {
  const list = Array.isArray(pids) ? pids : [pids];
  return {
    t: performance.now(),
    nodes: list.map((pid) => ({ srv: procCpuSeconds(pid), main: threadCpuSeconds(pid, pid) })),
    db: new Map(dbPids.map((pid) => [pid, procCpuSeconds(pid) ?? 0])),
    cli: process.cpuUsage(),
    kernel: kernelThreadsCpuSeconds(),
    mach: machineCpuSeconds(),
  };
}

/**
 * user+system CPU seconds so far of each of the kernel's own threads (children of kthreadd, pid 2):
 * writing back the bench's files, reclaiming a stopped server's memory. They (and the interrupts'
 * time, cpuBetween) are the bench's own work done by the kernel, not another job: counted as
 * "other", they marked whole runs INVALID (12–19 % of a core in the idle phases;
 * docs/PERFORMANCE.md, twenty-ninth session).
 */
function kernelThreadsCpuSeconds() {
  const threads = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const txt = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = txt.slice(txt.lastIndexOf(')') + 2).split(' ');
      if (f[1] === '2') threads.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  return threads;
}

/** user+system CPU seconds of one thread (the main thread's tid is the pid), or null once it is gone. */
function threadCpuSeconds(pid, tid) {
  return threadStat(pid, tid)?.s ?? null;
}

/** One thread's name (its comm) and user+system CPU seconds, from /proc; null once it is gone. */
export function threadStat(pid, tid) {
  try {
    const txt = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = txt.slice(txt.lastIndexOf(')') + 2).split(' ');
    return { name: txt.slice(txt.indexOf('(') + 1, txt.lastIndexOf(')')), s: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return null;
  }
}

/** CPU used between two marks, in % of one core: server (all nodes, and each), main threads, database, client, other processes, steal. */
export function cpuBetween(a, b) {
  const s = (b.t - a.t) / 1000;
  const nodes = a.nodes.map((n, i) => ({ srvS: b.nodes[i].srv - n.srv, mainS: n.main !== null && b.nodes[i].main !== null ? b.nodes[i].main - n.main : null }));
  const srv = nodes.reduce((x, n) => x + n.srvS, 0);
  const main = nodes.every((n) => n.mainS !== null) ? nodes.reduce((x, n) => x + n.mainS, 0) : null;
  // Database processes present at both marks (a backend that came or went meanwhile is not counted).
  let db = 0;
  for (const [pid, at] of b.db) if (a.db.has(pid)) db += Math.max(0, at - a.db.get(pid));
  const cli = (b.cli.user - a.cli.user + b.cli.system - a.cli.system) / 1e6;
  // Interrupts and softirqs (the loopback traffic of 10,000 connections: ~5 % of a core), and kernel
  // threads present at both marks (a kworker that came or went meanwhile stays in "other").
  let kernel = a.mach && b.mach ? Math.max(0, b.mach.interrupts - a.mach.interrupts) : 0;
  for (const [pid, at] of b.kernel) if (a.kernel.has(pid)) kernel += Math.max(0, at - a.kernel.get(pid));
  return {
    serverPct: round((100 * srv) / s, 0),
    serverMainPct: main !== null ? round((100 * main) / s, 0) : null,
    nodes: nodes.map((n) => ({ cpuPct: round((100 * n.srvS) / s, 0), mainPct: n.mainS !== null ? round((100 * n.mainS) / s, 0) : null, cpuS: n.srvS })),
    dbPct: round((100 * db) / s, 0),
    dbCpuS: db,
    clientPct: round((100 * cli) / s, 0),
    kernelPct: round((100 * kernel) / s, 0),
    // everything else on the machine, in % of one core: another job sharing the 2 cores
    otherPct: a.mach && b.mach ? round(Math.max(0, (100 * (b.mach.busy - a.mach.busy - srv - db - cli - kernel)) / s), 0) : null,
    stealPct: a.mach && b.mach ? round((100 * (b.mach.steal - a.mach.steal)) / s, 0) : null,
    serverCpuS: srv,
  };
}
