/**
 * Work items that arrive in a burst are handled together: the first one schedules a flush on the
 * next turn of the event loop (no fixed wait), and everything queued by then — up to `max` — goes
 * to `handle` as one batch (one transaction instead of one per item). Batches run one at a time.
 */
export class CoalescingQueue<T> {
  private items: T[] = [];
  private running = false;

  constructor(
    private readonly handle: (batch: T[]) => Promise<void>,
    private readonly onError: (error: Error, batch: T[]) => void,
    private readonly max = 256,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    while (this.items.length) {
      const batch = this.items.splice(0, this.max);
      try {
        await this.handle(batch);
      } catch (e) {
        this.onError(e as Error, batch);
      }
      // Let decisions that arrived meanwhile go first.
      if (this.items.length) await new Promise((r) => setImmediate(r));
    }
    this.running = false;
  }
}
