import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserChanges } from '../auth/user-changes';
import { UserEntity } from '../auth/user.entity';
import { parseSupervises, seesTeam } from '../people';
import type { Supervises } from '../../protocol/people';

/** Team assignments change rarely and are announced on this node at once (UserChanges); other nodes' changes within this. */
const REFRESH_MS = 5_000;

/**
 * Who each supervisor sees on the floor (src/people: an agent's team, a supervisor's teams or all),
 * kept in memory so a floor push stays synchronous: re-read when a user changes and every few seconds.
 */
@Injectable()
export class FloorScopes implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FloorScopes.name);
  private teamOfAgent = new Map<string, string | null>();
  private supervises = new Map<string, Supervises>();
  private timer?: NodeJS.Timeout;
  private stopChanges?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: UserChanges,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
    this.stopChanges = this.changes.onChange(() => void this.load());
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.stopChanges?.();
  }

  /** Which agents (by username) this supervisor sees; null: all of them. */
  visibleTo(supervisorId: string): ((username: string) => boolean) | null {
    const teams = this.supervises.get(supervisorId) ?? 'all';
    if (teams === 'all') return null;
    return (username) => seesTeam(teams, this.teamOfAgent.get(username) ?? null);
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.dataSource.getRepository(UserEntity).find({ select: { id: true, username: true, role: true, teamId: true, supervises: true } });
      this.teamOfAgent = new Map(rows.filter((u) => u.role === 'agent').map((u) => [u.username, u.teamId ?? null]));
      this.supervises = new Map(rows.filter((u) => u.role === 'supervisor').map((u) => [u.id, parseSupervises(u.supervises)]));
    } catch (e) {
      this.logger.warn(`team scopes could not be loaded: ${(e as Error).message}`);
    }
  }
}
