// What the open-loop bench runs: the catalogue's call scripts and the arrival schedule (bench/open-loop.mjs).

import { cachedCatalogueScripts } from './call-scripts.mjs';
import { ROOT } from './harness.mjs';
import { log } from './open-loop-cli.mjs';

// Scripts: the catalogue's, cached (bench/lib/call-scripts.mjs).

export const loadScripts = () => cachedCatalogueScripts(ROOT, log);

// ---------------------------------------------------------------------------------------------
// Seeded randomness: the laihua run and the baseline run get the very same schedule.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The whole load, decided before it starts: call arrival times (a Poisson process whose rate rises
 * linearly over the ramp to λ = calls ÷ mean call length, Little's law, so about `calls` are in
 * progress at full rate), each call's script (a flow picked uniformly, then one of its scripts) and
 * think time before each decision.
 */
export function schedule(scripts, opts, endS) {
  const rnd = mulberry32(opts.seed);
  const byFlow = new Map();
  scripts.forEach((s, i) => byFlow.set(s.flowId, [...(byFlow.get(s.flowId) ?? []), i]));
  const flows = [...byFlow.keys()].sort();
  // Mean length of a call in seconds: one think per decision (flows weighted equally).
  const meanS =
    (flows.reduce((a, f) => a + byFlow.get(f).reduce((b, i) => b + scripts[i].decisions, 0) / byFlow.get(f).length, 0) / flows.length) * (opts.think / 1000);
  const lambda = opts.calls / meanS;
  const calls = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rnd()) / lambda;
    if (t >= endS) break;
    if (t < opts.ramp && rnd() > t / opts.ramp) continue; // thinning: rate λ·t/ramp during the ramp
    const ids = byFlow.get(flows[Math.floor(rnd() * flows.length)]);
    const script = ids[Math.floor(rnd() * ids.length)];
    const thinks = scripts[script].steps.filter((s) => s.kind === 'decide').map(() => opts.think * (1 - opts.jitter + 2 * opts.jitter * rnd()));
    calls.push({ at: t * 1000, script, thinks });
  }
  return { calls, lambda, meanS, flows };
}
