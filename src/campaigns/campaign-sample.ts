import type { CampaignBrand } from '../../protocol/campaigns';

/** The field report's test dialling: 全球通 : 神州行 : 动感地带 = 2 : 4 : 4. */
export const DEFAULT_QUOTA: Record<CampaignBrand, number> = { gotone: 2, easyown: 4, mzone: 4 };
export const CAMPAIGN_BRANDS: CampaignBrand[] = ['gotone', 'easyown', 'mzone'];

/** A seeded PRNG (mulberry32): the same seed draws the same callers on every node and run. */
export function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Calls per brand for `calls` callers in the quota's proportions: each brand its whole share, the
 * calls left over to the largest remainders (ties: the quota's order). A brand with no customer
 * gets none (its share goes to the others).
 */
export function callsPerBrand(calls: number, quota: Record<CampaignBrand, number>, available: CampaignBrand[]): Record<CampaignBrand, number> {
  const brands = CAMPAIGN_BRANDS.filter((b) => available.includes(b) && quota[b] > 0);
  const out: Record<CampaignBrand, number> = { gotone: 0, easyown: 0, mzone: 0 };
  const sum = brands.reduce((a, b) => a + quota[b], 0);
  if (!sum) return out;
  const exact = brands.map((b) => ({ b, share: (calls * quota[b]) / sum }));
  for (const { b, share } of exact) out[b] = Math.floor(share);
  let left = calls - brands.reduce((a, b) => a + out[b], 0);
  for (const { b } of [...exact].sort((x, y) => y.share - Math.floor(y.share) - (x.share - Math.floor(x.share)))) {
    if (left-- <= 0) break;
    out[b] += 1;
  }
  return out;
}

/** The campaign's callers: per brand its calls, each drawn (with replacement) from that brand's customers; brands in the quota's order. */
export function drawCallers<C extends { msisdn: string; brand: string }>(
  customers: C[],
  calls: number,
  quota: Record<CampaignBrand, number>,
  seed: number,
): { customer: C; brand: CampaignBrand }[] {
  const random = seeded(seed);
  const byBrand = new Map(CAMPAIGN_BRANDS.map((b) => [b, customers.filter((c) => c.brand === b).sort((x, y) => x.msisdn.localeCompare(y.msisdn))]));
  const counts = callsPerBrand(
    calls,
    quota,
    CAMPAIGN_BRANDS.filter((b) => byBrand.get(b)!.length > 0),
  );
  return CAMPAIGN_BRANDS.flatMap((brand) => {
    const pool = byBrand.get(brand)!;
    return Array.from({ length: counts[brand] }, () => ({ customer: pool[Math.floor(random() * pool.length)], brand }));
  });
}

/**
 * Trajectory match (体验轨迹匹配度): the share of the main path's steps a run visited in the main
 * path's order — the longest common subsequence of the two, over the main path's length.
 */
export function trajectoryMatch(visited: string[], main: string[]): number {
  if (!main.length) return 1;
  let row = new Array<number>(main.length + 1).fill(0);
  for (const step of visited) {
    const next = [0];
    for (let j = 1; j <= main.length; j++) next[j] = step === main[j - 1] ? row[j - 1] + 1 : Math.max(row[j], next[j - 1]);
    row = next;
  }
  return Math.round((row[main.length] / main.length) * 10_000) / 10_000;
}
