import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { CallEventType } from '../../protocol/calls';

export type { CallEventType };

/** One external input to a call, in the order it was applied. Append-only. */
@Entity({ name: 'call_events' })
@Index('uq_call_events_call_seq', ['callId', 'seq'], { unique: true })
export class CallEventEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'call_id', type: 'text' }) callId: string;
  @Column({ type: 'integer' }) seq: number;
  @Column({ type: 'text' }) type: CallEventType;
  @Column({ type: 'simple-json' }) payload: Record<string, unknown>;
  @Column({ name: 'agent_id', type: 'text' }) agentId: string;
  @Column({ name: 'flow_id', type: 'text' }) flowId: string;
  @Column({ name: 'flow_version', type: 'integer' }) flowVersion: number;
  @Column({ name: 'state_before', type: 'text', nullable: true }) stateBefore: string | null;
  @Column({ name: 'flow_id_after', type: 'text', nullable: true }) flowIdAfter: string | null;
  @Column({ name: 'flow_version_after', type: 'integer', nullable: true }) flowVersionAfter: number | null;
  @Column({ name: 'state_after', type: 'text' }) stateAfter: string;
  @Column({ type: 'text' }) at: string;
  /** Hash chain (src/decision-log/hash-chain.ts): the previous event's hash, and this one's. */
  @Column({ name: 'prev_hash', type: 'text' }) prevHash: string;
  @Column({ type: 'text' }) hash: string;
}
