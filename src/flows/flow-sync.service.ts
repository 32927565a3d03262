import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from './flow-catalog.service';

/** The channel the `flow_publications` insert trigger notifies on (migration FlowPublicationNotify). */
export const FLOWS_CHANNEL = 'laihua_flows';
const RECONNECT_MS = 1_000;

/**
 * Several nodes on one PostgreSQL database: a flow version published (or rolled back) on any node
 * is in force on every node as soon as the publication commits. PostgreSQL notifies every listening
 * node at commit (a trigger on `flow_publications`, so no writer can forget to); each node then
 * applies the publications it has not seen (FlowCatalog.catchUp). A dedicated connection listens
 * and reconnects after a loss; a periodic look covers notifications missed meanwhile. SQLite (one
 * process per file): nothing to do.
 */
@Injectable()
export class FlowSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FlowSync.name);
  private client?: Client;
  private poll?: NodeJS.Timeout;
  private stopping = false;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly config: AppConfig,
    private readonly catalog: FlowCatalog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.usesPostgres) return;
    await this.listen();
    // A look even without a notification (one lost while reconnecting): bounds how stale a node can be.
    this.poll = setInterval(() => this.catchUp(), this.config.FLOW_SYNC_POLL_MS);
    this.poll.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.poll);
    await this.client?.end().catch(() => undefined);
  }

  /** One catch-up at a time; a notification during one runs one more after it. */
  private catchUp(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catalog
      .catchUp()
      .then((added) => {
        if (added) this.logger.log(`${added} publication(s) made on another node now in force here`);
      })
      .catch((e: Error) => this.logger.warn(`catching up with publications failed: ${e.message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.catchUp();
        }
      });
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', () => this.catchUp());
    client.on('error', (e) => {
      this.logger.warn(`flow notification connection lost (${e.message}); reconnecting`);
      void client.end().catch(() => undefined);
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${FLOWS_CHANNEL}`);
      this.client = client;
      // Anything published while this node was not listening.
      this.catchUp();
    } catch (e) {
      this.logger.warn(`cannot listen for flow publications (${(e as Error).message}); retrying`);
      void client.end().catch(() => undefined);
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    if (this.stopping) return;
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
