import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One version of a knowledge article. Lists (tags, steps, regions) and texts per locale are JSON text. */
@Entity({ name: 'knowledge_articles' })
export class KnowledgeArticleEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ name: 'article_id', type: 'text' }) articleId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'text' }) tags: string;
  @Column({ type: 'text' }) steps: string;
  @Column({ type: 'text' }) regions: string;
  @Column({ name: 'valid_from', type: 'text', nullable: true }) validFrom: string | null;
  @Column({ name: 'valid_to', type: 'text', nullable: true }) validTo: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy: string | null;
}

/** Who did what to which article version, when; written in the same transaction as the change. */
@Entity({ name: 'knowledge_audit' })
export class KnowledgeAuditEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ name: 'article_id', type: 'text' }) articleId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text' }) at: string;
  @Column({ type: 'text', default: '{}' }) detail: string;
}

/** Every search from the agent screen, what it showed, and what was picked (for search accuracy). */
@Entity({ name: 'search_log' })
export class SearchLogEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text' }) at: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ name: 'call_id', type: 'text', nullable: true }) callId: string | null;
  @Column({ type: 'text' }) query: string;
  /** The hits shown, in order, as `kind:id`. */
  @Column({ type: 'text' }) hits: string;
  @Column({ name: 'picked_ref', type: 'text', nullable: true }) pickedRef: string | null;
  /** 1-based place of the pick among the hits (null: not picked, or picked something not shown). */
  @Column({ name: 'picked_rank', type: 'integer', nullable: true }) pickedRank: number | null;
  @Column({ name: 'picked_at', type: 'text', nullable: true }) pickedAt: string | null;
}
