import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuthService } from './auth.service';

/** PostgreSQL channel on which a node announces that a user's row changed (payload: the user id). */
export const USERS_CHANNEL = 'laihua_users';
const RECONNECT_MS = 1_000;

type Listener = (userId: string) => void;

/**
 * A user was disabled, re-roled or had their password reset: their sessions end now, not at the
 * next periodic re-check. `changed` refreshes this node's user directory and tells the listeners
 * (the WebSocket closes that user's sockets whose session no longer holds); on PostgreSQL it also
 * NOTIFYs the other nodes, which do the same when the notification arrives.
 */
@Injectable()
export class UserChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UserChanges.name);
  private readonly listeners = new Set<Listener>();
  private client?: Client;
  private stopping = false;

  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (this.config.usesPostgres) void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Returns the function that stops listening. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the user's row was committed. */
  async changed(userId: string): Promise<void> {
    await this.apply(userId);
    if (this.config.usesPostgres) await this.dataSource.query(`SELECT pg_notify($1, $2)`, [USERS_CHANNEL, userId]);
  }

  private async apply(userId: string): Promise<void> {
    await this.auth.reloadUser(userId);
    for (const listener of this.listeners) listener(userId);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', (n) => {
      if (n.payload) void this.apply(n.payload).catch((e: Error) => this.logger.warn(`user change ${n.payload}: ${e.message}`));
    });
    client.on('error', (e) => {
      this.logger.warn(`user notification connection lost (${e.message}); reconnecting`);
      void client.end().catch(() => undefined);
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${USERS_CHANNEL}`);
      this.client = client;
    } catch (e) {
      this.logger.warn(`cannot listen for user changes (${(e as Error).message}); retrying`);
      void client.end().catch(() => undefined);
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    if (!this.stopping) setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
