/**
 * Fixed log-scale histogram of durations in milliseconds, the same buckets everywhere so rollups add
 * up column by column. Bucket 0 holds [0, 1) ms; bucket i (1 … BUCKETS-2) holds [2^((i-1)/2), 2^(i/2)) ms;
 * the last bucket holds everything from 2^((BUCKETS-2)/2) ms (2^24 ms ≈ 4.7 h) up.
 *
 * A percentile is the nearest-rank sample's bucket, reported as that bucket's geometric midpoint
 * 2^((i-0.5)/2): within a factor 2^(1/4) of the exact nearest-rank value, i.e. at most 18.9 % off
 * (below 1 ms: reported as 0.5 ms, off by at most 0.5 ms; the overflow bucket reports its lower bound).
 * Two buckets per doubling keep rollup rows narrow (50 columns per histogram).
 */
export const BUCKETS = 50;
const STEPS_PER_DOUBLING = 2;

export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  const i = Math.floor(Math.log2(ms) * STEPS_PER_DOUBLING) + 1;
  // Guard against floating point at exact boundaries: 2^(k/4) belongs to bucket k+1.
  const lower = 2 ** ((i - 1) / STEPS_PER_DOUBLING);
  const fixed = ms < lower ? i - 1 : ms >= 2 ** (i / STEPS_PER_DOUBLING) ? i + 1 : i;
  return Math.min(fixed, BUCKETS - 1);
}

/** The value a bucket reports, rounded to whole milliseconds. */
export function bucketValue(bucket: number): number {
  if (bucket === 0) return 0.5;
  if (bucket === BUCKETS - 1) return Math.round(2 ** ((BUCKETS - 2) / STEPS_PER_DOUBLING));
  return Math.round(2 ** ((bucket - 0.5) / STEPS_PER_DOUBLING));
}

export function emptyHistogram(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}

export function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[bucketOf(v)]++;
  return h;
}

/** Nearest-rank percentile (p in (0, 1]) from bucket counts; null when empty. */
export function percentile(hist: readonly number[], p: number): number | null {
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(hist.length - 1);
}

/** Column names of a histogram in a rollup table: `<prefix>0` … `<prefix>99`. */
export function histogramColumns(prefix: string): string[] {
  return Array.from({ length: BUCKETS }, (_, i) => `${prefix}${i}`);
}
