import type { CompiledFlow } from '../flows/flow-loader';
import type { CallProgress } from './step';

/** The tail every call starts from: shared, as a settled promise never changes. */
const SETTLED: Promise<unknown> = Promise.resolve();

/** A call the engine is driving: its flow, where it is, and what it is waiting for. */
export class LiveCall {
  /** Decisions, replies and timeouts of one call are applied strictly one after another. */
  private tail: Promise<unknown> = SETTLED;
  /** Bumped whenever the call moves on, so a late reply or timer of an earlier step is recognised. */
  generation = 0;
  /** Armed timers; none for most of a call's life, so the set exists only while one is armed. */
  private armed: Set<NodeJS.Timeout> | null = null;
  /** The back-end operation the current step is waiting on, and since when (epoch ms); null when none. */
  waitingOn: { operation: string; since: number } | null = null;

  constructor(public progress: CallProgress) {}

  /** The flow of the business the call is in now. */
  get flow(): CompiledFlow {
    return this.progress.flow;
  }

  get id(): string {
    return this.progress.record.id;
  }

  get active(): boolean {
    return this.progress.record.status === 'active';
  }

  serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  cancelWaits(): void {
    this.generation++;
    this.waitingOn = null;
    this.armed?.forEach((t) => clearTimeout(t));
    this.armed = null;
  }

  /** Keeps a timer armed for the current step, to be cleared should the call move on first. */
  addTimer(timer: NodeJS.Timeout): void {
    (this.armed ??= new Set()).add(timer);
  }

  /** A timer that fired. */
  dropTimer(timer: NodeJS.Timeout): void {
    this.armed?.delete(timer);
    if (this.armed?.size === 0) this.armed = null;
  }
}
