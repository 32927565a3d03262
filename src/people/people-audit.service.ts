import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PeopleAction, PeopleAuditEntry } from '../../protocol/people';
import type { AuthUser } from '../auth/auth-user';
import { PeopleAuditEntity } from './people.entities';

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
const unjson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** Every admin change, written in the same transaction as the change itself (so neither exists without the other). */
@Injectable()
export class PeopleAudit {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    manager: EntityManager,
    actor: AuthUser,
    action: PeopleAction,
    target: { id: string; name: string },
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await manager.getRepository(PeopleAuditEntity).insert({
      at: new Date().toISOString(),
      actorId: actor.sub,
      actor: actor.username,
      action,
      targetId: target.id,
      targetName: target.name,
      before: json(before),
      after: json(after),
    });
  }

  /** Newest first, at most `limit`. */
  async list(limit = 500): Promise<PeopleAuditEntry[]> {
    const rows = await this.dataSource.getRepository(PeopleAuditEntity).find({ order: { id: 'DESC' }, take: limit });
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action as PeopleAction,
      targetId: r.targetId,
      targetName: r.targetName,
      before: unjson(r.before),
      after: unjson(r.after),
    }));
  }
}
