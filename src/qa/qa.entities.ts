import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Scorecard } from '../../protocol/qa';
import type { Score } from './scoring';

/** One automatic check's result for one ended call (recomputable from the log; stored so calls can be searched by it). */
@Entity({ name: 'call_check_results' })
export class CallCheckResultEntity {
  @PrimaryColumn({ name: 'call_id', type: 'text' }) callId: string;
  @PrimaryColumn({ name: 'check_id', type: 'text' }) checkId: string;
  @Column({ type: 'boolean' }) applicable: boolean;
  @Column({ type: 'boolean' }) passed: boolean;
  @Column({ type: 'simple-json' }) findings: unknown[];
  @Column({ name: 'checked_at', type: 'text' }) checkedAt: string;
}

/** A reviewer's scorecard for a call: the current revision (earlier ones in scorecard_revisions). */
@Entity({ name: 'scorecards' })
export class ScorecardEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'call_id', type: 'text' }) callId: string;
  @Column({ name: 'agent_id', type: 'text' }) agentId: string;
  @Column({ type: 'text' }) reviewer: string;
  @Column({ name: 'form_version', type: 'integer' }) formVersion: number;
  @Column({ type: 'simple-json' }) marks: Record<string, { score?: number; comment?: string }>;
  @Column({ type: 'simple-json' }) score: Score;
  @Column({ type: 'real' }) total: number;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'integer' }) revision: number;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
  @Column({ name: 'updated_at', type: 'text' }) updatedAt: string;
}

/** Every saved revision of a scorecard, as saved: the audit trail of QA judgements. */
@Entity({ name: 'scorecard_revisions' })
export class ScorecardRevisionEntity {
  @PrimaryColumn({ name: 'scorecard_id', type: 'text' }) scorecardId: string;
  @PrimaryColumn({ type: 'integer' }) revision: number;
  @Column({ type: 'text' }) reviewer: string;
  @Column({ type: 'text' }) at: string;
  @Column({ type: 'simple-json' }) content: Scorecard;
}
