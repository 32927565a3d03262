import { AppError } from '../common/app-error';

/**
 * Bounds the password hashes in flight. scrypt runs on libuv's small thread pool (4 threads), which
 * the log's file I/O and every other crypto call share: a burst of logins must queue here rather than
 * there. Past `maxWaiting` queued, a login answers RATE_LIMITED at once instead of waiting unboundedly.
 */
export class HashingGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) this.active++;
    else if (this.waiting.length >= this.maxWaiting) throw new AppError('RATE_LIMITED', 'Too many logins in progress; try again in a moment');
    // A slot freed by a finished hash is handed straight to the next waiter (active stays the same).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
