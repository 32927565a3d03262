import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'teams' })
export class TeamEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
}

/** One admin change (migration People): append-only by the code; `before`/`after` are JSON text. */
@Entity({ name: 'people_audit' })
export class PeopleAuditEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text' }) at: string;
  @Column({ name: 'actor_id', type: 'text' }) actorId: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text' }) action: string;
  @Column({ name: 'target_id', type: 'text' }) targetId: string;
  @Column({ name: 'target_name', type: 'text' }) targetName: string;
  @Column({ type: 'text', nullable: true }) before: string | null;
  @Column({ type: 'text', nullable: true }) after: string | null;
}
