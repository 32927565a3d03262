import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { CallStatus } from '../../protocol/calls';

export type { CallStatus };

@Entity({ name: 'calls' })
@Index('idx_calls_status', ['status'])
@Index('idx_calls_agent', ['agentId', 'startedAt'])
// Ended calls only (migration 1765700000000): a live call costs it no entry.
@Index('idx_calls_ended_at', ['endedAt'], { where: '"ended_at" IS NOT NULL' })
// A number's calls newest first (migration 1765770000000): the screen pop's contact history reads five.
@Index('idx_calls_caller_started', ['callerNumber', 'startedAt'])
// Ended calls not erased yet (migration 1765720000000): what the retention sweep reads.
@Index('idx_calls_retained', ['endedAt'], { where: '"ended_at" IS NOT NULL AND "erased_at" IS NULL' })
export class CallEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'flow_id', type: 'text' }) flowId: string;
  @Column({ name: 'flow_version', type: 'integer' }) flowVersion: number;
  @Column({ name: 'agent_id', type: 'text' }) agentId: string;
  @Column({ name: 'caller_number', type: 'text' }) callerNumber: string;
  @Column({ type: 'text' }) status: CallStatus;
  @Column({ type: 'text', nullable: true }) outcome: string | null;
  @Column({ name: 'outcome_detail', type: 'simple-json', nullable: true }) outcomeDetail: Record<string, unknown> | null;
  @Column({ type: 'text' }) state: string;
  @Column({ name: 'current_flow_id', type: 'text', nullable: true }) currentFlowId: string | null;
  @Column({ name: 'current_flow_version', type: 'integer', nullable: true }) currentFlowVersion: number | null;
  @Column({ type: 'integer' }) seq: number;
  @Column({ name: 'started_at', type: 'text' }) startedAt: string;
  @Column({ name: 'updated_at', type: 'text' }) updatedAt: string;
  @Column({ name: 'ended_at', type: 'text', nullable: true }) endedAt: string | null;
  /** When the call was crypto-shredded (src/erasure), as `call_keys.erased_at`; NULL while it is kept. */
  @Column({ name: 'erased_at', type: 'text', nullable: true }) erasedAt: string | null;
}
