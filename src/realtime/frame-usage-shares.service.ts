import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NodeShareLoop } from '../common/node-share-loop';
import { AppConfig } from '../config/app-config';
import { WsRateLimiter } from './rate-limit';
import { type NodeUsage, readUsageElsewhere } from './usage-shares';

const PUBLISH = `INSERT INTO frame_usage_shares (node_id, at, usage) VALUES ($1, now(), $2)
  ON CONFLICT (node_id) DO UPDATE SET at = now(), usage = excluded.usage`;
const OTHERS = `SELECT node_id AS "nodeId", usage FROM frame_usage_shares WHERE node_id <> $1 AND at > now() - $2 * interval '1 millisecond'`;

/**
 * Several nodes on PostgreSQL: a user's WebSocket budget is the hotline's, not one node's. Every
 * heartbeat each node writes, per user, the frames it has accepted since it started and the
 * connections it holds (`frame_usage_shares`, one row per node, UNLOGGED), and reads the others'
 * fresh rows (readUsageElsewhere): a user who sent frames on k other nodes since the last read gets
 * 1/(k+1) of their budget here (WsRateLimiter.applyElsewhere), and their connections there count
 * against WS_MAX_CONNECTIONS_PER_USER. A user spread over N nodes thus gets one budget, give or take
 * what they can send within one heartbeat — not N budgets — and each node serves its share. The per-frame check stays in memory (no
 * database round trip per frame). A node that stops writing drops out after CLUSTER_LEASE_MS.
 * SQLite: one node, nothing to do.
 */
@Injectable()
export class FrameUsageShares implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FrameUsageShares.name);
  /** Per other node, the totals last read (a restarted node counts from 0 again: a total below the last one is all new). */
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly loop: NodeShareLoop;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly limiter: WsRateLimiter,
  ) {
    this.loop = new NodeShareLoop(config, dataSource, 'frame_usage_shares', () => this.exchange(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Writes this node's usage and charges the others' (every heartbeat, NodeShareLoop). */
  private async exchange(): Promise<void> {
    await this.dataSource.query(PUBLISH, [this.config.NODE_ID, JSON.stringify(this.limiter.usage())]);
    const rows: { nodeId: string; usage: string }[] = await this.dataSource.query(OTHERS, [this.config.NODE_ID, this.config.CLUSTER_LEASE_MS]);
    const { active, connections } = readUsageElsewhere(
      this.seen,
      rows.map((row) => ({ nodeId: row.nodeId, usage: JSON.parse(row.usage) as NodeUsage })),
    );
    this.limiter.applyElsewhere(active, connections);
  }
}
