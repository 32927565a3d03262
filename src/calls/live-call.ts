import type { CompiledFlow } from '../flows/flow-loader';
import type { CallProgress } from './step';

/** A call the engine is driving: its flow, where it is, and what it is waiting for. */
export class LiveCall {
  /** Decisions, replies and timeouts of one call are applied strictly one after another. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Bumped whenever the call moves on, so a late reply or timer of an earlier step is recognised. */
  generation = 0;
  readonly timers = new Set<NodeJS.Timeout>();
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
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}
