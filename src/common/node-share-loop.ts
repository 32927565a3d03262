import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** What the loop reads of the configuration. */
export interface NodeShareSettings {
  usesPostgres: boolean;
  NODE_ID: string;
  CLUSTER_HEARTBEAT_MS: number;
}

/**
 * Several nodes on PostgreSQL: a node's row in a share table (`floor_shares`, `frame_usage_shares`)
 * written, and the other nodes' rows read, every heartbeat — one exchange at a time (a slow database
 * skips a beat), a failure logged and tried again at the next beat, the row deleted at shutdown so
 * the others drop it at once. SQLite (one node): it never runs.
 */
export class NodeShareLoop {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly settings: NodeShareSettings,
    private readonly dataSource: DataSource,
    private readonly table: string,
    private readonly exchange: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.settings.usesPostgres) return;
    this.timer = setInterval(() => void this.beat(), this.settings.CLUSTER_HEARTBEAT_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.settings.usesPostgres && this.dataSource.isInitialized) {
      await this.dataSource.query(`DELETE FROM ${this.table} WHERE node_id = $1`, [this.settings.NODE_ID]).catch(() => undefined);
    }
  }

  private async beat(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.exchange();
    } catch (e) {
      this.logger.warn(`${this.table} exchange failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
