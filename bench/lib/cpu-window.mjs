// CPU used over a measured window (bench/open-loop.mjs): the server, its main thread, the client and
// everything else on the machine, read from /proc.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { machineCpuSeconds, procCpuSeconds, round } from './harness.mjs';

/** A mark of CPU time so far: the server process and its main thread, this client, the machine. */
export function cpuMark(pid) {
  return {
    t: performance.now(),
    srv: procCpuSeconds(pid),
    main: threadCpuSeconds(pid, pid),
    cli: process.cpuUsage(),
    mach: machineCpuSeconds(),
  };
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

/** CPU used between two marks, in % of one core: server, its main thread, client, other processes, steal. */
export function cpuBetween(a, b) {
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
