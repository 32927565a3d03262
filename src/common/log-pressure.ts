/**
 * The SQLite file's write lock, shared fairly between the decision log and the end-of-call work —
 * with the log first. SQLite has one write lock per file and its busy handler sleeps in growing
 * steps (1, 2, 5, 10 … ms), so a log commit that meets the end-of-call worker's transaction used to
 * sleep well past its end, and a worker writing back to back kept winning the lock from it
 * (docs/PERFORMANCE.md). Both threads now agree on turns through this SharedArrayBuffer (handed to
 * each thread in its workerData) before they ask SQLite, and wake each other with Atomics.notify:
 *
 * - the log's writer thread raises LOG_TURN before each commit, waits while END_OF_CALL_TURN is
 *   held (woken the moment it is released), commits, and lowers LOG_TURN;
 * - the end-of-call worker takes a turn only while LOG_TURN is down, and gives it back at once if
 *   the log raised it in the same instant (both flags are sequentially consistent: one of the two
 *   always sees the other's); it keeps its transactions short (the CPU work is done before).
 *
 * APPENDS_WAITING (the main thread's appends not yet committed) lets the worker prefer the gaps
 * between the log's commits. The turns are advisory: SQLite's own lock still guards the file, so a
 * thread that dies holding a turn only costs the other a bounded wait.
 */
export const APPENDS_WAITING = 0;
export const LOG_TURN = 1;
export const END_OF_CALL_TURN = 2;
/** How many commits the log has made (wraps): the end-of-call worker reads it to know the decision path is busy. */
export const LOG_COMMITS = 3;
export const LOG_PRESSURE_SLOTS = 4;

/** The process's shared turns (the main thread creates them; the threads get the buffer). */
export const logPressure = new Int32Array(new SharedArrayBuffer(LOG_PRESSURE_SLOTS * Int32Array.BYTES_PER_ELEMENT));

export function setLogPressure(appendsWaiting: number): void {
  Atomics.store(logPressure, APPENDS_WAITING, appendsWaiting);
}

/** The end-of-call thread exited: a turn it held is nobody's now (else every commit would wait out STALE_TURN_MS). */
export function releaseEndOfCallTurn(): void {
  Atomics.store(logPressure, END_OF_CALL_TURN, 0);
  Atomics.notify(logPressure, END_OF_CALL_TURN);
}

/** Atomics.waitAsync (Node 16+, in TypeScript's ES2024 lib; the build targets ES2023). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { value: Promise<string> | string } }).waitAsync;

/** The longest either side waits on the other's turn (a thread that died holding one). */
const STALE_TURN_MS = 250;

/**
 * The log's side (its writer thread; blocking waits are fine there): the commit runs inside the
 * log's turn, after any end-of-call transaction under way has finished.
 */
export function withLogTurn<T>(turns: Int32Array | null, commit: () => T): T {
  if (!turns) return commit();
  Atomics.store(turns, LOG_TURN, 1);
  try {
    const deadline = Date.now() + STALE_TURN_MS;
    while (Atomics.load(turns, END_OF_CALL_TURN) === 1 && Date.now() < deadline) Atomics.wait(turns, END_OF_CALL_TURN, 1, STALE_TURN_MS);
    return commit();
  } finally {
    Atomics.store(turns, LOG_TURN, 0);
    Atomics.add(turns, LOG_COMMITS, 1);
    Atomics.notify(turns, LOG_TURN);
  }
}

/**
 * The end-of-call side: runs `write` in a turn of its own, once the log is neither committing nor
 * (for up to `preferGapMs`) holding appends that wait for a commit. Never starves: past the
 * preference it only waits for a commit under way to end.
 */
export async function withEndOfCallTurn<T>(turns: Int32Array | null, preferGapMs: number, write: () => Promise<T>): Promise<T> {
  if (!turns) return write();
  const preferUntil = Date.now() + preferGapMs;
  // Past this the log's turn is taken for a thread that died mid-commit: SQLite's own lock decides.
  const staleAt = preferUntil + STALE_TURN_MS;
  for (;;) {
    const now = Date.now();
    // A commit under way (or about to start): wait for its end, then look again.
    if (Atomics.load(turns, LOG_TURN) === 1 && now < staleAt) {
      await waitAsync(turns, LOG_TURN, 1, staleAt - now).value;
      continue;
    }
    // Appends waiting: the log's next commit is due within its interval — let it go first while we may.
    if (Atomics.load(turns, APPENDS_WAITING) > 0 && now < preferUntil) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    Atomics.store(turns, END_OF_CALL_TURN, 1);
    if (Atomics.load(turns, LOG_TURN) === 0 || Date.now() >= staleAt) break;
    // The log raised its turn in the same instant: it goes first.
    Atomics.store(turns, END_OF_CALL_TURN, 0);
    Atomics.notify(turns, END_OF_CALL_TURN);
  }
  try {
    return await write();
  } finally {
    Atomics.store(turns, END_OF_CALL_TURN, 0);
    Atomics.notify(turns, END_OF_CALL_TURN);
  }
}
