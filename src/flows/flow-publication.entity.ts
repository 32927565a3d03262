import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** From `publishedAt` on, new calls of the flow run on `version` (seed: from the files; rollback: an earlier version again). */
@Entity({ name: 'flow_publications' })
export class FlowPublicationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ name: 'flow_id', type: 'text' }) flowId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'published_at', type: 'text' }) publishedAt: string;
  @Column({ name: 'published_by', type: 'text' }) publishedBy: string;
  @Column({ type: 'text' }) action: 'seed' | 'publish' | 'rollback';
}
