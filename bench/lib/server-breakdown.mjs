// Where a decision's time goes inside the server over the measured window (bench/open-loop.mjs):
// the server's own histograms (GET /metrics, read at both ends of the window) and the CPU of each of
// its threads (/proc/PID/task/*). Read-only; two scrapes per run.

import { readdirSync } from 'node:fs';

import { threadStat } from './cpu-window.mjs';
import { round } from './harness.mjs';

const HISTOGRAMS = {
  decision: 'laihua_decision_latency_seconds',
  append: 'laihua_log_append_seconds',
  // The transaction alone, on the writer's connection: a stall here is the disk's, not the main thread's.
  commit: 'laihua_log_commit_seconds',
  batch: 'laihua_log_batch_size',
  walRestart: 'laihua_log_wal_restart_seconds',
  // The main thread's garbage collections (prom-client's default metrics), by kind: a mark-compact's
  // pause and the incremental marking before it are what stalls the decisions' tail (PERFORMANCE.md).
  gcMajor: ['nodejs_gc_duration_seconds', 'kind="major"'],
  gcIncremental: ['nodejs_gc_duration_seconds', 'kind="incremental"'],
  gcMinor: ['nodejs_gc_duration_seconds', 'kind="minor"'],
};

/** The histograms' cumulative buckets (le → count), sums and counts, and each thread's CPU seconds so far. */
export async function breakdownMark(server) {
  const text = await fetch(server.url('/metrics'), { signal: AbortSignal.timeout(5000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const histograms = {};
  for (const [key, source] of Object.entries(HISTOGRAMS)) {
    const [name, label] = Array.isArray(source) ? source : [source, ''];
    histograms[key] = parseHistogram(text, name, label);
  }
  return { histograms, threads: threadSeconds(server.pid), t: performance.now() };
}

const EMPTY = { buckets: [], sum: 0, count: 0 };

/** Window deltas: per histogram n, mean and the p50/p99 bucket bounds; per thread % of a core (busiest first). */
export function breakdownBetween(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const out = { histograms: {}, threads: [] };
  for (const key of Object.keys(HISTOGRAMS)) {
    // A label set is printed once it was first observed: absent at the window's start (no mark-compact
    // since boot yet) is zero, not unknown — skipping it reported "mark-compact 0" for windows holding one.
    const x = a.histograms[key] ?? EMPTY;
    const y = b.histograms[key];
    if (!y) continue;
    const count = y.count - x.count;
    const buckets = y.buckets.map(([le, c], i) => [le, c - (x.buckets[i]?.[1] ?? 0)]);
    const scale = key === 'batch' ? 1 : 1000;
    out.histograms[key] = {
      n: count,
      mean: count ? round(((y.sum - x.sum) / count) * scale, 2) : null,
      p50: bound(buckets, count, 0.5, scale),
      p90: bound(buckets, count, 0.9, scale),
      p99: bound(buckets, count, 0.99, scale),
      totalMs: round((y.sum - x.sum) * 1000, 0),
    };
  }
  for (const [tid, t] of b.threads) {
    const before = a.threads.get(tid);
    if (!before) continue;
    const pct = round((100 * (t.s - before.s)) / seconds, 0);
    if (pct >= 1) out.threads.push({ tid, name: t.name, pct });
  }
  out.threads.sort((p, q) => q.pct - p.pct);
  return out;
}

/** The report's lines (laihua only). */
export function breakdownLines(d) {
  if (!d) return [];
  const h = (x, unit) => (x ? `mean ${x.mean}${unit}, p50 ≤ ${x.p50}, p90 ≤ ${x.p90}, p99 ≤ ${x.p99} (n=${x.n})` : 'n/a');
  return [
    `inside the server    decide received → view sent: ${h(d.histograms.decision, ' ms')}`,
    `                     log append queued → committed: ${h(d.histograms.append, ' ms')}`,
    `                     each commit on the writer's connection: ${h(d.histograms.commit, ' ms')}`,
    `                     events per commit: ${h(d.histograms.batch, '')}`,
    `                     write-ahead log started over: ${h(d.histograms.walRestart, ' ms')}`,
    `main thread GC        ${gcLine(d.histograms)}`,
    `threads              ${d.threads.map((t) => `${t.name}#${t.tid} ${t.pct}%`).join(', ')}`,
  ];
}

/** Per kind: how many, their mean pause and their total over the window. */
function gcLine(h) {
  const kind = (x, name) => (x && x.n ? `${name} ${x.n} × ${x.mean} ms (${x.totalMs} ms)` : `${name} 0`);
  return [kind(h.gcMajor, 'mark-compact'), kind(h.gcIncremental, 'incremental marking'), kind(h.gcMinor, 'scavenge')].join(', ');
}

/** One histogram, its label sets (other than le) added together; only lines holding `label` when given. */
function parseHistogram(text, name, label = '') {
  const buckets = new Map();
  let sum = 0;
  let count = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (label && !line.includes(label))) continue;
    const key = line.slice(0, line.lastIndexOf(' '));
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (key.startsWith(`${name}_bucket`)) {
      const text = /le="([^"]+)"/.exec(key)?.[1];
      const le = text === '+Inf' ? Infinity : Number(text);
      buckets.set(le, (buckets.get(le) ?? 0) + v);
    } else if (key.startsWith(`${name}_sum`)) sum += v;
    else if (key.startsWith(`${name}_count`)) count = (count ?? 0) + v;
  }
  return count === null ? null : { buckets: [...buckets].sort((a, b) => a[0] - b[0]), sum, count };
}

/** The upper bound of the bucket holding quantile q (cumulative buckets). */
function bound(buckets, count, q, scale) {
  if (!count) return null;
  const want = q * count;
  for (const [le, c] of buckets) if (c >= want) return le === Infinity ? '∞' : round(le * scale, 2);
  return '∞';
}

function threadSeconds(pid) {
  const out = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const stat = threadStat(pid, tid); // null: the thread ended meanwhile
    if (stat) out.set(tid, { name: tid === String(pid) ? 'main' : stat.name, s: stat.s });
  }
  return out;
}
