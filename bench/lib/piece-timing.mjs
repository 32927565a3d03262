// Timing one piece of the decision path (bench/decision-path.mjs): CPU and wall time per operation
// over rounds, bytes allocated per operation (from heap growth in a round without GC), or, on
// request, a sampled allocation profile. Needs node --expose-gc.

import { performance, PerformanceObserver } from 'node:perf_hooks';

let gcRuns = 0;
new PerformanceObserver((list) => (gcRuns += list.getEntries().length)).observe({ entryTypes: ['gc'] });
/** Lets the GC observer hear of every collection so far (its entries arrive asynchronously). */
const settle = () => new Promise((r) => setTimeout(r, 20));

/**
 * Runs `round()` (which returns its operation count) `rounds` times after two warm-up rounds. CPU
 * time (process.cpuUsage) is the figure to compare on a shared machine; wall time is inflated
 * whenever another process takes the core.
 */
export async function measure(name, round, { rounds, allocProfile }) {
  if (allocProfile) return allocationProfile(name, round, allocProfile);
  const cpu = [];
  const wall = [];
  const bytes = [];
  for (let i = 0; i < rounds + 2; i++) {
    // A scavenge empties the young generation; a full GC here would go on sweeping on helper
    // threads during the round and count in its CPU time.
    globalThis.gc({ type: 'minor' });
    await settle();
    const gcBefore = gcRuns;
    const heapBefore = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ops = await round();
    const t1 = performance.now();
    const used = process.cpuUsage(c0);
    const heapAfter = process.memoryUsage().heapUsed;
    await settle();
    if (i < 2) continue;
    cpu.push((used.user + used.system) / ops);
    wall.push(((t1 - t0) * 1000) / ops);
    if (gcRuns === gcBefore) bytes.push((heapAfter - heapBefore) / ops);
  }
  const median = (xs) => (xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
  return { piece: name, cpuUs: median(cpu), wallUs: median(wall), bestWallUs: Math.min(...wall), bytesPerOp: median(bytes) };
}

/** With `allocProfile` N (--alloc-profile): where a piece's allocations come from (sampled, collected ones included), top N functions. */
async function allocationProfile(name, round, top) {
  const { Session } = await import('node:inspector/promises');
  await round();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  let ops = 0;
  for (let i = 0; i < 3; i++) ops += await round();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const self = new Map();
  const walk = (node) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(profile.head);
  console.log(`${name}: allocations by function (bytes per op, sampled)`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(v / ops).toFixed(0).padStart(7)}  ${k}`);
  return { piece: name, cpuUs: null, wallUs: null, bestWallUs: null, bytesPerOp: null };
}
