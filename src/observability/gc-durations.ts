import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Histogram, type Registry } from 'prom-client';

const NAME = 'nodejs_gc_duration_seconds';
/** prom-client's buckets for this metric, kept so that dashboards and recorded series read the same. */
const BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * `nodejs_gc_duration_seconds` with every collection counted, in place of prom-client's default one
 * (same name, kinds and buckets). prom-client's (15.1.3, lib/metrics/gc.js) observes only the first
 * entry of each list its PerformanceObserver is handed; under load V8's collections arrive several to
 * a list, and the ones after the first — the mark-compacts, which come after scavenges — went
 * uncounted: the open-loop bench reported no mark-compact in windows where the main thread stalled
 * on three (docs/PERFORMANCE.md, fifteenth session).
 */
export function observeGcDurations(registry: Registry): void {
  registry.removeSingleMetric(NAME);
  const histogram = new Histogram({
    name: NAME,
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const byKind = new Map(Object.entries(KINDS).map(([kind, name]) => [Number(kind), histogram.labels(name)]));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) byKind.get((entry as { detail?: { kind?: number } }).detail?.kind ?? -1)?.observe(entry.duration / 1000);
  }).observe({ entryTypes: ['gc'] });
}
