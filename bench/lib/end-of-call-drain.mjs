// How long the end-of-call work takes to catch up once the load stops. Under load it yields the cores
// to the agents (src/end-of-call/duty-cycle.ts), so ended calls queue in the outbox; their QA checks,
// metrics and follow-ups are owed all the same. Read from GET /api/health's endOfCall backlog, polled
// until none is left (or the time limit passes). On SQLite it also notes the write-ahead log's largest
// size meanwhile: with the decision log quiet, the worker is the one writing, and it must keep the log
// bounded itself (src/end-of-call/wal-keeping.ts; before it did, the log grew to 5.4 GB in 70 s).

import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { round, sleep } from './harness.mjs';

const POLL_MS = 250;

/** The backlog when called, how long until it was worked off, the WAL's peak: { pendingAtStop, left, seconds, perS, walPeakMiB }. */
export async function drainEndOfCall(server, timeoutMs = 180_000) {
  const walFile = server.dataDir ? path.join(server.dataDir, 'laihua.sqlite-wal') : null;
  let walPeak = null;
  const noteWal = () => {
    const size = walFile ? statSync(walFile, { throwIfNoEntry: false })?.size : undefined;
    if (size !== undefined) walPeak = Math.max(walPeak ?? 0, size);
  };
  // A reading taken after it was asked: behind a busy read thread the server answers with its last
  // one (`readAt`, src/common/fresh-within.ts), which may be from before the load stopped.
  const pending = async () => {
    const asked = Date.now();
    for (;;) {
      const res = await fetch(server.url('/api/health'), { signal: AbortSignal.timeout(5000) });
      const backlog = (await res.json()).endOfCall;
      if (!backlog) return null;
      if (backlog.readAt === undefined || Date.parse(backlog.readAt) >= asked) return backlog.pending; // (an older build has no readAt)
      if (Date.now() - asked > 30_000) return null;
      await sleep(100);
    }
  };
  const t0 = performance.now();
  const atStop = await pending().catch(() => null);
  if (atStop === null) return null;
  let left = atStop;
  noteWal();
  while (left > 0 && performance.now() - t0 < timeoutMs) {
    await sleep(POLL_MS);
    noteWal();
    left = (await pending().catch(() => null)) ?? left;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    pendingAtStop: atStop,
    left,
    seconds: round(seconds, 1),
    perS: left === 0 && seconds > 0 ? round(atStop / seconds, 0) : null,
    walPeakMiB: walPeak === null ? null : round(walPeak / 1048576, 1),
  };
}

/** The report's line. */
export function drainLines(d) {
  if (!d) return [];
  const done = d.left === 0 ? `all processed ${d.seconds} s later${d.perS ? ` (${d.perS} calls/s)` : ''}` : `${d.left} still pending after ${d.seconds} s`;
  const wal = d.walPeakMiB === null || d.walPeakMiB === undefined ? '' : `; write-ahead log at most ${d.walPeakMiB} MiB meanwhile`;
  return [`end-of-call work     ${d.pendingAtStop} ended calls pending when the load stopped; ${done}${wal}`];
}
