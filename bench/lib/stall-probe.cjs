// Preloaded into laihua by `bench/open-loop.mjs --probe` (`--require`, so into every thread it
// starts too): what each thread was doing when the decisions' tail formed. Each thread notes, on the
// wall clock, its event loop's gaps (a 5 ms timer that fired late: a task or a pause held the
// thread) and its garbage collections over a few milliseconds; the main thread also names the
// threads it starts by their script. One line per note on stderr, `STALL-PROBE {json}`, which the
// harness collects (bench/lib/harness.mjs) and bench/lib/stall-attribution.mjs lines up with the
// tail's windows. Measured on 2026-12-05/06 by hand (PERFORMANCE.md, twelfth and eighteenth
// sessions): every worst window held a mark-compact of the main thread.
'use strict';

const { constants } = require('node:perf_hooks');
const workerThreads = require('node:worker_threads');
const path = require('node:path');

const TICK_MS = 5;
/** A timer this late means the thread was held (one task, a GC pause, or many tasks back to back). */
const GAP_OVER_MS = 20;
const GC_OVER_MS = 4;
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

const thread = workerThreads.isMainThread ? 'main' : `thread-${workerThreads.threadId}`;
const note = (fields) => process.stderr.write(`STALL-PROBE ${JSON.stringify({ thread, ...fields })}\n`);
const epoch = (perfMs) => Math.round(performance.timeOrigin + perfMs);

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - TICK_MS;
  if (late > GAP_OVER_MS) note({ kind: 'gap', from: epoch(last + TICK_MS), ms: Math.round(late) });
  last = now;
}, TICK_MS).unref();

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.duration < GC_OVER_MS) continue;
    note({ kind: 'gc', gc: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind), from: epoch(e.startTime), ms: Math.round(e.duration * 10) / 10 });
  }
}).observe({ entryTypes: ['gc'] });

// The threads laihua starts, by script (the log's writer, the end-of-call worker, …): read at
// construction, so the product's own `new Worker(…)` calls are the ones named.
if (workerThreads.isMainThread) {
  const Original = workerThreads.Worker;
  workerThreads.Worker = class NamedWorker extends Original {
    constructor(file, options) {
      super(file, options);
      const script = typeof file === 'string' && !options?.eval ? path.basename(file) : 'eval';
      note({ kind: 'thread', id: this.threadId, script });
    }
  };
}
