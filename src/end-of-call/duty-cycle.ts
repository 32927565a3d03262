/**
 * How the end-of-call worker shares the machine with the decision path. The worker runs on its own
 * thread, but the cores are shared: a worker with a backlog works without pause and takes a core's
 * worth of CPU from the main thread, the log's writer and the operating system — and an agent's
 * click waits for those, not for the worker (docs/PERFORMANCE.md). While the decision path is busy
 * (the log committed during the batch), the worker rests after each batch in proportion to the work
 * it did, so its busy time stays near `share` of a core; with the log quiet it works flat out. Its
 * backlog is the durable outbox: resting delays QA and metrics, never loses them.
 */
export class DutyCycle {
  /** A batch's rest is capped, so a stop or a quiet spell is seen soon. */
  static readonly MAX_REST_MS = 1_000;

  constructor(private readonly share: number) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  }

  /** Milliseconds to rest after a batch that kept the thread busy `busyMs`, given whether the log was committing meanwhile. */
  restAfter(busyMs: number, logBusy: boolean): number {
    if (!logBusy || this.share >= 1 || busyMs <= 0) return 0;
    return Math.min(DutyCycle.MAX_REST_MS, (busyMs * (1 - this.share)) / this.share);
  }
}
