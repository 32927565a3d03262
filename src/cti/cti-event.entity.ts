import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A telephony event accepted (migration CtiEvents): written and read through raw SQL (cti-event-store.ts). */
@Entity({ name: 'cti_events' })
export class CtiEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'cti_call_id', type: 'text' }) ctiCallId: string;
  @Column({ name: 'call_id', type: 'text', nullable: true }) callId: string | null;
  @Column({ type: 'text', nullable: true }) agent: string | null;
  @Column({ name: 'received_at', type: 'text' }) receivedAt: string;
  /** JSON: the event's caller number, IVR path, transfer target, who ended it. */
  @Column({ type: 'text' }) detail: string;
}
