import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One tracked item (migration WorkItems); `(callId, sourceSeq)` is unique. */
@Entity({ name: 'work_items' })
export class WorkItemEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'text' }) priority: string;
  @Column({ name: 'call_id', type: 'text' }) callId: string;
  @Column({ name: 'source_seq', type: 'integer' }) sourceSeq: number;
  @Column({ name: 'flow_id', type: 'text', nullable: true }) flowId: string | null;
  @Column({ name: 'step_id', type: 'text', nullable: true }) stepId: string | null;
  @Column({ type: 'text', nullable: true }) business: string | null;
  @Column({ name: 'caller_number', type: 'text' }) callerNumber: string;
  @Column({ name: 'customer_tier', type: 'text', nullable: true }) customerTier: string | null;
  @Column({ name: 'receipt_id', type: 'text', nullable: true }) receiptId: string | null;
  @Column({ type: 'text' }) desk: string;
  @Column({ type: 'text', nullable: true }) assignee: string | null;
  @Column({ type: 'text' }) rule: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
  @Column({ name: 'due_at', type: 'text' }) dueAt: string;
  @Column({ name: 'updated_at', type: 'text' }) updatedAt: string;
  /** When it was last resolved or closed (null while still to do): on time when not after `dueAt`. */
  @Column({ name: 'resolved_at', type: 'text', nullable: true }) resolvedAt: string | null;
  /** A callback: the item it follows up, the flow its call opens on, what it is for, the outbound call that made it. */
  @Column({ name: 'parent_id', type: 'integer', nullable: true }) parentId: number | null;
  @Column({ name: 'callback_flow_id', type: 'text', nullable: true }) callbackFlowId: string | null;
  @Column({ name: 'callback_note', type: 'text', nullable: true }) callbackNote: string | null;
  @Column({ name: 'outbound_call_id', type: 'text', nullable: true }) outboundCallId: string | null;
}

/** Every change to an item, who and when; written in the transaction that makes the change. */
@Entity({ name: 'work_item_history' })
export class WorkItemHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ name: 'item_id', type: 'integer' }) itemId: number;
  @Column({ type: 'text' }) at: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text' }) action: string;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus: string | null;
  @Column({ name: 'to_status', type: 'text' }) toStatus: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
