/**
 * How the main thread tells the end-of-call worker that calls ended, without a message per call.
 * A message to a thread is a system call that wakes it (and an event on each side); under load
 * calls end hundreds of times a second while the worker is busy with a backlog and would only note
 * the wake-up and carry on. So each ended call only bumps a shared counter, and a message goes only
 * when the worker said it is about to sleep (IDLE): at most one per sleep.
 *
 * The worker raises IDLE and then looks at the counter once more; the main thread bumps the counter
 * and then looks at IDLE. Both are sequentially consistent, so at least one of the two sees the
 * other's write: either the worker stays awake, or the main thread sends the wake-up (or both, which
 * costs one extra look at the outbox).
 */
const ENDED = 0;
const IDLE = 1;
const SLOTS = 2;

export class WakeSignal {
  readonly slots: Int32Array;

  /** The main thread creates it; the worker attaches to the same buffer (its workerData). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.slots = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.slots.buffer as SharedArrayBuffer;
  }

  /** Main thread: calls ended. True when the worker sleeps and must be sent a wake-up (once: it is taken awake here). */
  callsEnded(): boolean {
    Atomics.add(this.slots, ENDED, 1);
    return Atomics.compareExchange(this.slots, IDLE, 1, 0) === 1;
  }

  /** Main thread: a new worker starts awake (it looks at the outbox first). */
  reset(): void {
    Atomics.store(this.slots, IDLE, 0);
  }

  /** Worker: where the counter stands before it looks at the outbox. */
  mark(): number {
    return Atomics.load(this.slots, ENDED);
  }

  /**
   * Worker: about to sleep after a look at the outbox that began at `mark`. False when calls ended
   * since — it looks again instead; true when it may sleep until a wake-up (or its poll).
   */
  sleepUnless(mark: number): boolean {
    Atomics.store(this.slots, IDLE, 1);
    if (Atomics.load(this.slots, ENDED) === mark) return true;
    Atomics.store(this.slots, IDLE, 0);
    return false;
  }

  /** Worker: awake again (woken, or its poll came round). */
  awake(): void {
    Atomics.store(this.slots, IDLE, 0);
  }
}
