import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NodeShareLoop } from '../common/node-share-loop';
import { AppConfig } from '../config/app-config';
import type { StepOutcome } from './floor-snapshot';

/** One node's part of the live floor, in no locale (each node titles it in its subscribers' own). */
export interface FloorShare {
  node: string;
  calls: {
    callId: string;
    agentId: string;
    callerNumber: string;
    flowId: string;
    flowVersion: number;
    stepId: string;
    since: string;
    waitingOn: { operation: string; since: number } | null;
  }[];
  /** One entry per open agent connection. */
  agents: { agentId: string; username: string }[];
  /** The node's last back-end outcomes per step key. */
  outcomes: [string, StepOutcome[]][];
  /** Identity checks the node refused because the subscriber is locked (recent ones). */
  locks?: { flowId: string; stepId: string; at: number }[];
}

const PUBLISH = `INSERT INTO floor_shares (node_id, at, share) VALUES ($1, now(), $2)
  ON CONFLICT (node_id) DO UPDATE SET at = now(), share = excluded.share`;
const OTHERS = `SELECT share FROM floor_shares WHERE node_id <> $1 AND at > now() - $2 * interval '1 millisecond'`;

/**
 * Several nodes on PostgreSQL: the live floor is the hotline's, not one node's. Every heartbeat each
 * node writes its share (`floor_shares`, one row per node) and reads the others' fresh ones; a
 * supervisor on any node sees every node's calls, agents and alerts. A node that stops writing
 * (dead) drops out after CLUSTER_LEASE_MS — by then its calls are another node's and in its share.
 * SQLite: one node, nothing to do.
 */
@Injectable()
export class FloorShares implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FloorShares.name);
  private latest: FloorShare[] = [];
  private source?: () => Omit<FloorShare, 'node'>;
  private readonly loop: NodeShareLoop;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.loop = new NodeShareLoop(config, dataSource, 'floor_shares', () => this.exchange(), this.logger);
  }

  /** What this node shares: its own calls, agents and outcomes, built when the share is written. */
  bind(source: () => Omit<FloorShare, 'node'>): void {
    this.source = source;
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** The other nodes' shares as last read (at most a heartbeat old). */
  others(): readonly FloorShare[] {
    return this.latest;
  }

  /** Writes this node's share and reads the others' (every heartbeat, NodeShareLoop). */
  private async exchange(): Promise<void> {
    if (!this.source) return;
    await this.dataSource.query(PUBLISH, [this.config.NODE_ID, JSON.stringify({ node: this.config.NODE_ID, ...this.source() })]);
    const rows: { share: string }[] = await this.dataSource.query(OTHERS, [this.config.NODE_ID, this.config.CLUSTER_LEASE_MS]);
    this.latest = rows.map((r) => JSON.parse(r.share) as FloorShare);
  }
}
