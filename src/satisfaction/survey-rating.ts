/**
 * The rating in a reply: its first digit 1–5 (5 = very satisfied), as the satisfaction SMS asks
 * ("回复 1–5 评价本次服务，5 为非常满意") and the IVR survey's keys give it. Null: no rating in it.
 */
export function ratingOf(answer: string): number | null {
  const digit = /\d/.exec(answer.normalize('NFKC'))?.[0];
  const n = digit === undefined ? NaN : Number(digit);
  return n >= 1 && n <= 5 ? n : null;
}

/** A reply is matched to a call that ended at most this long before it: the SMS is answered within days, the IVR survey right after the call. */
export const MATCH_WINDOW_MS = { sms: 72 * 3600_000, ivr: 30 * 60_000 } as const;

/** Rated 4 or 5. */
export const SATISFIED_FROM = 4;
