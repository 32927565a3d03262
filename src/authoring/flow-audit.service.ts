import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FlowAuditEntity } from './flow-audit.entity';

export type AuditAction = 'create' | 'edit' | 'submit' | 'approve' | 'reject' | 'publish' | 'rollback' | 'retire';

export interface AuditEntry {
  id: number;
  flowId: string;
  version: number | null;
  action: AuditAction;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

/** The authoring audit trail: written in the same transaction as the change it records. */
@Injectable()
export class FlowAudit {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await manager.getRepository(FlowAuditEntity).insert({ ...entry, detail: JSON.stringify(entry.detail) });
  }

  async list(filter: { flowId?: string; version?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(FlowAuditEntity).find({ where: { ...filter }, order: { id: 'ASC' } });
    return rows.map((r) => ({ ...r, action: r.action as AuditAction, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /** Who wrote this version (created or edited it): they may not approve it. */
  async authorsOf(manager: EntityManager, flowId: string, version: number): Promise<string[]> {
    const rows = await manager.getRepository(FlowAuditEntity).find({
      where: [
        { flowId, version, action: 'create' },
        { flowId, version, action: 'edit' },
      ],
    });
    return [...new Set(rows.map((r) => r.actor))];
  }
}
