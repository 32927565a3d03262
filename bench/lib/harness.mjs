// Shared by the load benches (suspend-load.mjs, open-loop.mjs): the server process, /proc
// readings of CPU and memory, percentiles, the inspector CPU profiler and the database check.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { probeNote } from './stall-attribution.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_SERVER_ENTRY = path.join(ROOT, 'dist', 'main.js');
export const HOST = '127.0.0.1';
/** At most this many probe notes are kept per server (a 5-minute run notes a few thousand). */
const MAX_PROBE_NOTES = 200_000;
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat times are in these ticks

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** n, the percentiles `ps` (keyed p50, p90, p99, p999 …) and max of the samples. */
export function summarize(samples, ps = [50, 90, 99]) {
  const s = Float64Array.from(samples).sort();
  return {
    n: s.length,
    ...Object.fromEntries(ps.map((p) => [`p${String(p).replace('.', '')}`, round(percentile(s, p))])),
    max: round(s.length ? s[s.length - 1] : null),
  };
}

/** Counts by name as `a=1, b=2`, or 'none'. */
export const counts = (byName) =>
  Object.keys(byName).length
    ? Object.entries(byName)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : 'none';

export function round(x, d = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** VmRSS / VmHWM of a process in KiB, or null when it is gone. */
export function procMem(pid) {
  try {
    const txt = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => {
      const m = txt.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { rssKiB: get('VmRSS'), hwmKiB: get('VmHWM') };
  } catch {
    return { rssKiB: null, hwmKiB: null };
  }
}

/** user+system CPU seconds used so far by a process, or null. */
export function procCpuSeconds(pid) {
  try {
    const txt = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may contain spaces: fields start after the last ')'
    const fields = txt.slice(txt.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores) from /proc/stat. */
export function machineCpuSeconds() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const busy = f[0] + f[1] + f[2] + (f[5] || 0) + (f[6] || 0);
    return { busy: busy / CLK_TCK, steal: (f[7] || 0) / CLK_TCK, interrupts: ((f[5] || 0) + (f[6] || 0)) / CLK_TCK };
  } catch {
    return null;
  }
}

export function bump(map, key, n = 1) {
  map[key] = (map[key] || 0) + n;
}

// ---------------------------------------------------------------------------------------------
// Server process

export class Server {
  /** `entry`: the script node runs (default dist/main.js); `env`: extra environment for it. */
  constructor({ port, dataDir, latency, backendTimeout, verbose, nodeArgs, entry = DEFAULT_SERVER_ENTRY, env: extraEnv = {} }) {
    this.port = port;
    this.dataDir = dataDir;
    this.tail = []; // last lines of server output, for error reports
    this.lines = 0;
    this.probeNotes = []; // bench/lib/stall-probe.cjs's notes, when it is preloaded (open-loop --probe)
    this.exit = null;
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      SIM_LATENCY_MS: String(latency),
      LOG_LEVEL: 'warn',
      // Every simulated agent logs in as agent1: the per-user frame limit would throttle them as one user.
      WS_RATE_PER_USER: '0',
      MAX_LIVE_CALLS_PER_AGENT: '100000',
      WS_MAX_CONNECTIONS_PER_USER: '10000',
      // Thousands of scripted calls share the ~20 demo subscribers, many of them failing checks on purpose.
      VERIFY_MAX_FAILURES_PER_SUBSCRIBER: '1000000',
      ...extraEnv,
    };
    if (backendTimeout !== null) env.BACKEND_TIMEOUT_MS = String(backendTimeout);
    this.child = spawn(process.execPath, [...nodeArgs, entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    const onData = (stream) => (buf) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const note = line.startsWith('STALL-PROBE ') ? probeNote(line) : null;
        if (note) {
          if (this.probeNotes.length < MAX_PROBE_NOTES) this.probeNotes.push(note);
          continue;
        }
        this.lines++;
        const m = line.match(/Debugger listening on (ws:\/\/\S+)/);
        if (m) this.inspectorUrl = m[1];
        this.tail.push(`[${stream}] ${line}`);
        if (this.tail.length > 40) this.tail.shift();
        if (verbose) process.stderr.write(`  server ${stream}: ${line}\n`);
      }
    };
    this.child.stdout.on('data', onData('out'));
    this.child.stderr.on('data', onData('err'));
  }

  url(p) {
    return `http://${HOST}:${this.port}${p}`;
  }

  async waitHealthy(timeoutMs = 30000) {
    const t0 = performance.now();
    let last = '';
    while (performance.now() - t0 < timeoutMs) {
      if (this.exit) throw new Error(`server exited during start-up (${JSON.stringify(this.exit)})\n${this.tail.join('\n')}`);
      try {
        const res = await fetch(this.url('/api/health'), { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return performance.now() - t0;
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = e.cause?.code || e.message;
      }
      await sleep(100);
    }
    throw new Error(`server not healthy after ${timeoutMs} ms (last: ${last})\n${this.tail.join('\n')}`);
  }

  async login() {
    const res = await fetch(this.url('/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent1', password: 'demo' }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`login failed: HTTP ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    if (!body.token) throw new Error(`login answered without a token: ${text.slice(0, 300)}`);
    return body.token;
  }

  async stop() {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** Size of the SQLite files and row counts per table, read after the server has exited. */
export function inspectDb(dataDir) {
  const out = { files: {}, tables: {} };
  try {
    for (const f of readdirSync(dataDir)) out.files[f] = round(statSync(path.join(dataDir, f)).size / 1024 / 1024, 2);
    const file = path.join(dataDir, 'laihua.sqlite');
    if (!existsSync(file)) return { ...out, note: 'no laihua.sqlite in DATA_DIR' };
    const require = createRequire(path.join(ROOT, 'package.json'));
    const Database = require('better-sqlite3');
    const db = new Database(file, { fileMustExist: true });
    try {
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        .all()
        .map((r) => r.name);
      for (const n of names) out.tables[n] = db.prepare(`SELECT COUNT(*) AS c FROM "${n.replaceAll('"', '""')}"`).get().c;
      // Ended calls whose QA checks and metrics were still to do when the server stopped (the end-of-call backlog).
      if (names.includes('call_outbox'))
        out.tables.call_outbox_pending = db.prepare('SELECT COUNT(*) AS c FROM call_outbox WHERE processed_at IS NULL').get().c;
    } finally {
      db.close();
    }
  } catch (e) {
    out.note = `could not inspect: ${e.message}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CPU profile of the server over the inspector protocol

export class Profiler {
  static async start(url) {
    if (!url) throw new Error('--cpu-profile: the server did not print an inspector address');
    const p = new Profiler();
    p.ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    p.nextId = 0;
    p.waits = new Map();
    p.ws.on('message', (buf) => {
      const m = JSON.parse(buf.toString('utf8'));
      const w = m.id !== undefined && p.waits.get(m.id);
      if (w) {
        p.waits.delete(m.id);
        if (m.error) w.reject(new Error(m.error.message));
        else w.resolve(m.result);
      }
    });
    await new Promise((resolve, reject) => {
      p.ws.once('open', resolve);
      p.ws.once('error', reject);
    });
    await p.call('Profiler.enable');
    await p.call('Profiler.setSamplingInterval', { interval: 500 });
    await p.call('Profiler.start');
    return p;
  }

  call(method, params = {}) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waits.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async stop() {
    const { profile } = await this.call('Profiler.stop');
    this.ws.close();
    return profile;
  }
}

/** Self and inclusive share of samples per function (a function counted once per stack). */
export function topFunctions(profile, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const parent = new Map();
  for (const x of profile.nodes) for (const c of x.children || []) parent.set(c, x.id);
  const name = (x) => {
    const url = x.callFrame.url.replace(`file://${ROOT}/`, '').replace(/^node_modules\//, '');
    return `${x.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${x.callFrame.lineNumber + 1}` : ''}`.trim();
  };
  const counts = new Map();
  for (const sId of profile.samples) counts.set(sId, (counts.get(sId) || 0) + 1);
  const self = {};
  const incl = {};
  for (const [id, c] of counts) {
    const leaf = byId.get(id);
    self[name(leaf)] = (self[name(leaf)] || 0) + c;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur));
      if (!seen.has(k)) {
        seen.add(k);
        incl[k] = (incl[k] || 0) + c;
      }
    }
  }
  const total = profile.samples.length;
  const top = (o) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [round((100 * v) / total, 1), k]);
  return { samples: total, self: top(self), inclusive: top(incl).filter(([, k]) => k !== '(root)') };
}
