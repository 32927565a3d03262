// Where the decisions above the p99 fall in time (bench/open-loop.mjs): spread over the window, the
// tail is queueing; packed into a few 100 ms windows, it is a handful of stalls, and each one's time
// says what to look for (a mark-compact, a restart of the log). Measured on 2026-12-05: one or two
// windows held every decision above the p99, each at a mark-compact of the main thread (PERFORMANCE.md).

import { round } from './harness.mjs';

const WINDOW_MS = 100;

/**
 * `at`: each decision's intended send (ms, the client's clock); `latency`: its latency (ms), same order.
 * The windows holding the decisions above the p99, most such decisions first, and how few of them hold half.
 */
export function tailWindows(at, latency) {
  const n = latency.length;
  if (n < 100) return null;
  const p99 = [...latency].sort((a, b) => a - b)[Math.floor(n * 0.99)];
  const t0 = at.reduce((m, x) => Math.min(m, x), Infinity);
  const windows = new Map();
  // epoch: the window's start on the wall clock (ms), to line it up with a log or probe in the server.
  let over = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.floor((at[i] - t0) / WINDOW_MS);
    const x = windows.get(w) ?? {
      atS: round((w * WINDOW_MS) / 1000, 1),
      epoch: Math.round(performance.timeOrigin + t0 + w * WINDOW_MS),
      n: 0,
      over: 0,
      maxMs: 0,
    };
    x.n++;
    if (latency[i] > p99) {
      x.over++;
      over++;
    }
    x.maxMs = Math.max(x.maxMs, round(latency[i], 0));
    windows.set(w, x);
  }
  const late = [...windows.values()].filter((x) => x.over > 0).sort((a, b) => b.over - a.over);
  let held = 0;
  let half = 0;
  while (held * 2 < over && half < late.length) held += late[half++].over;
  return { p99: round(p99, 1), over, windowMs: WINDOW_MS, windows: windows.size, lateWindows: late.length, halfIn: half, worst: late.slice(0, 3) };
}

/** The report's line. */
export function tailLine(t) {
  if (!t || !t.over) return [];
  const worst = t.worst.map((x) => `t=${x.atS} s (epoch ${x.epoch}): ${x.over} of ${x.n}, max ${x.maxMs} ms`).join('; ');
  const top = t.worst.reduce((s, x) => s + x.over, 0);
  return [
    `decide tail           the ${t.over} decisions above p99 (${t.p99} ms) fall in ${t.lateWindows} of ${t.windows} windows of ${t.windowMs} ms (half in ${t.halfIn}; ${round((100 * top) / t.over, 0)} % in the worst ${t.worst.length}: ${worst})`,
  ];
}
