import { singleFlight } from './single-flight';

/** A value read at `readAt` (when its read was asked for: it reflects the store at that time or later). */
export interface Reading<T> {
  value: T;
  readAt: string;
}

/**
 * `read`, shared as singleFlight shares it, answered fresh when it comes within `waitMs` — else with
 * the last reading, which says when it was taken. For an answer that must come promptly from a port
 * that may be busy: the read thread runs one read at a time, and a long one (a wide QA search) would
 * otherwise hold every caller behind it, a load balancer's health poll included. The fresh read goes
 * on and becomes the last reading when it lands. With no reading yet, the first is waited for; a read
 * that fails is the caller's error, as before.
 */
export function freshWithin<T>(read: () => Promise<T>, waitMs: number, now: () => Date = () => new Date()): () => Promise<Reading<T>> {
  let last: Reading<T> | undefined;
  const shared = singleFlight(async () => {
    const readAt = now().toISOString();
    const reading = { value: await read(), readAt };
    if (!last || reading.readAt >= last.readAt) last = reading;
    return reading;
  });
  return async () => {
    const fresh = shared();
    const fallback = last;
    if (!fallback) return fresh;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Reading<T>>((resolve) => {
      timer = setTimeout(() => resolve(fallback), waitMs);
    });
    try {
      return await Promise.race([fresh, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
