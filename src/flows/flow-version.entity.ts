import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { VersionStatus } from '../../protocol/authoring';

export type { VersionStatus };
export const VERSION_STATUSES = ['draft', 'submitted', 'approved', 'published', 'retired'] as const satisfies readonly VersionStatus[];

/**
 * Every flow version: seeded from the files in FLOWS_DIR or authored by supervisors. A draft's
 * definition may change; from submission on it is frozen, and replay and recovery read the
 * definition a call ran on from here.
 */
@Entity({ name: 'flow_versions' })
export class FlowVersionEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'text' }) flowId: string;
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) hash: string;
  @Column({ type: 'text' }) definition: string;
  @Column({ type: 'text' }) source: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
  @Column({ type: 'text', default: 'published' }) status: VersionStatus;
  @Column({ name: 'created_by', type: 'text', default: 'system:files' }) createdBy: string;
  @Column({ name: 'based_on', type: 'integer', nullable: true }) basedOn: number | null;
  @Column({ name: 'updated_at', type: 'text', nullable: true }) updatedAt: string | null;
}
