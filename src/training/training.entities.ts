import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TrainingScenario } from '../../protocol/training';

/** A trainee's simulated call (the call itself is in the decision log, marked on `call.started`). */
@Entity({ name: 'training_calls' })
@Index('idx_training_calls_trainee', ['traineeId', 'flowId'])
@Index('idx_training_calls_started', ['startedAt'])
export class TrainingCallEntity {
  @PrimaryColumn({ name: 'call_id', type: 'text' }) callId: string;
  @Column({ name: 'trainee_id', type: 'text' }) traineeId: string;
  @Column({ name: 'flow_id', type: 'text' }) flowId: string;
  @Column({ name: 'scenario_id', type: 'text' }) scenarioId: string;
  @Column({ name: 'started_at', type: 'text' }) startedAt: string;
  @Column({ name: 'ended_at', type: 'text', nullable: true }) endedAt: string | null;
  @Column({ type: 'real', nullable: true }) score: number | null;
  @Column({ type: 'boolean', nullable: true }) passed: boolean | null;
  /** The scenario as drawn and, once scored, how the trainee did (JSON). */
  @Column({ type: 'simple-json', nullable: true }) detail: TrainingDetail | null;
}

export interface TrainingDetail {
  scenario: TrainingScenario;
  followed?: number;
  expected?: number;
  reachedEnd?: boolean;
  failedChecks?: string[];
}
