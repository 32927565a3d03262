import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every flow version a call may run on, frozen: replay and recovery read the definition from here. */
@Entity({ name: 'flow_versions' })
export class FlowVersionEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'text' }) flowId: string;
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) hash: string;
  @Column({ type: 'text' }) definition: string;
  @Column({ type: 'text' }) source: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
}
