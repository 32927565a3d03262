import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which flow version, when: created, edited, submitted, approved, rejected, published, rolled back, retired. */
@Entity({ name: 'flow_audit' })
export class FlowAuditEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ name: 'flow_id', type: 'text' }) flowId: string;
  @Column({ type: 'integer', nullable: true }) version: number | null;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text' }) at: string;
  @Column({ type: 'text', default: '{}' }) detail: string;
}
