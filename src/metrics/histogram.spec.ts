import { BUCKETS, bucketOf, bucketValue, histogramOf, percentile } from './histogram';

describe('log-scale histogram', () => {
  it('puts a value in the bucket whose bounds hold it, 2 buckets per doubling', () => {
    expect([bucketOf(0), bucketOf(0.99), bucketOf(1), bucketOf(1.41), bucketOf(1.42), bucketOf(2), bucketOf(1024)]).toEqual([0, 0, 1, 1, 2, 3, 21]);
    expect(bucketOf(1e12)).toBe(BUCKETS - 1);
    for (let i = 1; i < BUCKETS - 1; i++) {
      const lower = 2 ** ((i - 1) / 2);
      expect(bucketOf(lower * 1.0000001)).toBe(i);
    }
  });

  it('reports every value within 18.9 % (the bucket error bound)', () => {
    for (let ms = 1; ms < 5_000_000; ms = Math.ceil(ms * 1.07)) {
      const reported = bucketValue(bucketOf(ms));
      expect(Math.abs(reported - ms) / ms).toBeLessThanOrEqual(0.1893 + 0.5 / ms);
    }
  });

  it('nearest-rank percentiles: p50 and p90 of 1…10 s are the 5th and 9th values’ buckets', () => {
    const values = Array.from({ length: 10 }, (_, i) => (i + 1) * 1000);
    const h = histogramOf(values);
    expect(percentile(h, 0.5)).toBe(bucketValue(bucketOf(5000)));
    expect(percentile(h, 0.9)).toBe(bucketValue(bucketOf(9000)));
    expect(percentile(h, 1)).toBe(bucketValue(bucketOf(10000)));
    expect(percentile(histogramOf([]), 0.9)).toBeNull();
    expect(percentile(histogramOf([7]), 0.9)).toBe(bucketValue(bucketOf(7)));
  });

  it('adds up column by column: merging histograms equals the histogram of the union', () => {
    const a = histogramOf([3, 50, 900]);
    const b = histogramOf([12, 50, 40000]);
    expect(a.map((x, i) => x + b[i])).toEqual(histogramOf([3, 50, 900, 12, 50, 40000]));
  });
});
