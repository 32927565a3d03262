import { Injectable, Logger } from '@nestjs/common';
import { WorkItems } from '../work-items';
import type { OverdueAtStep } from './floor-snapshot';

/** How often the floor re-reads the overdue items while someone watches it (they change by the minute, not the frame). */
const REFRESH_MS = 2_000;

/**
 * The overdue work items the live floor alerts on, read from the store (every node's items, so every
 * node's floor shows the same) at most every REFRESH_MS while a supervisor watches; the floor's
 * snapshot is built synchronously from the last read.
 */
@Injectable()
export class OverdueItems {
  private readonly logger = new Logger(OverdueItems.name);
  private last: OverdueAtStep[] = [];
  private readAt = 0;
  private reading = false;

  constructor(private readonly items: WorkItems) {}

  current(): readonly OverdueAtStep[] {
    return this.last;
  }

  /** Starts a read when the last one is older than REFRESH_MS (never two at once); a failed read keeps the last figures. */
  refresh(now = Date.now()): void {
    if (this.reading || now - this.readAt < REFRESH_MS) return;
    this.reading = true;
    this.readAt = now;
    this.items
      .overdueByStep(new Date(now).toISOString())
      .then((rows) => (this.last = rows))
      .catch((e: Error) => this.logger.warn(`overdue work items not read: ${e.message}`))
      .finally(() => (this.reading = false));
  }
}
