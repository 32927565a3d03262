// How long the end-of-call work takes to catch up once the load stops. Under load it yields the cores
// to the agents (src/end-of-call/duty-cycle.ts), so ended calls queue in the outbox; their QA checks,
// metrics and follow-ups are owed all the same. Read from GET /api/health's endOfCall backlog, polled
// until none is left (or the time limit passes).

import { performance } from 'node:perf_hooks';
import { round, sleep } from './harness.mjs';

const POLL_MS = 250;

/** The backlog when called, and how long until it was worked off: { pendingAtStop, left, seconds, perS }. */
export async function drainEndOfCall(server, timeoutMs = 180_000) {
  const pending = async () => {
    const res = await fetch(server.url('/api/health'), { signal: AbortSignal.timeout(5000) });
    return (await res.json()).endOfCall?.pending ?? null;
  };
  const t0 = performance.now();
  const atStop = await pending().catch(() => null);
  if (atStop === null) return null;
  let left = atStop;
  while (left > 0 && performance.now() - t0 < timeoutMs) {
    await sleep(POLL_MS);
    left = await pending().catch(() => left);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { pendingAtStop: atStop, left, seconds: round(seconds, 1), perS: left === 0 && seconds > 0 ? round(atStop / seconds, 0) : null };
}

/** The report's line. */
export function drainLines(d) {
  if (!d) return [];
  const done = d.left === 0 ? `all processed ${d.seconds} s later${d.perS ? ` (${d.perS} calls/s)` : ''}` : `${d.left} still pending after ${d.seconds} s`;
  return [`end-of-call work     ${d.pendingAtStop} ended calls pending when the load stopped; ${done}`];
}
