import type { PoolClient } from 'pg';
import type { CallRecord, LoggedEvent } from '../decision-log/decision-log';
import type { LogFence } from '../decision-log/pg-decision-log';

/** What the fence needs of the node's leases (CallLeases). */
export interface FenceHost {
  fenceQuery(client: PoolClient, callIds: string[]): Promise<{ rows: { alive: number; calls: [string, string | null][] }[] }>;
  ownQuery(client: PoolClient, callIds: string[]): Promise<unknown>;
  refusedOf(rows: [string, string | null][]): Set<string>;
  began(callIds: string[]): void;
  lostNoticed(): void;
}

/**
 * The lease check in every batch of the PostgreSQL log (PgDecisionLog.fence): the batch's call rows
 * are locked and their tokens compared with the ones this node holds; a call whose lease moved is
 * refused (CALL_MOVED) and nothing of it is written. All of them are refused once this incarnation
 * has been declared lost. The locks hold until the batch commits, so a takeover or a claim waits for
 * a commit in flight, and a commit after a takeover sees the new token.
 */
export class LeaseFence implements LogFence {
  constructor(private readonly leases: FenceHost) {}

  async refused(client: PoolClient, batch: readonly { event: LoggedEvent; call: CallRecord }[]): Promise<ReadonlySet<string>> {
    const ids = [...new Set(batch.map((p) => p.event.callId))];
    const { rows } = await this.leases.fenceQuery(client, ids);
    if (!rows[0].alive) {
      this.leases.lostNoticed();
      return new Set(ids);
    }
    return this.leases.refusedOf(rows[0].calls);
  }

  async own(client: PoolClient, callIds: string[]): Promise<void> {
    await this.leases.ownQuery(client, callIds);
    this.leases.began(callIds);
  }
}
