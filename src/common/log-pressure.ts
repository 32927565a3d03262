/**
 * Appends of the SQLite decision log waiting or in flight, shared with the end-of-call worker thread
 * (a SharedArrayBuffer in its workerData). SQLite has one write lock per file and its busy handler
 * sleeps in growing steps, so a worker writing back to back keeps winning it from a waiting log; the
 * worker reads this before each batch and lets the log go first (docs/PERFORMANCE.md).
 */
export const logPressure = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

export function setLogPressure(appendsWaiting: number): void {
  Atomics.store(logPressure, 0, appendsWaiting);
}
