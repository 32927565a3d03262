import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { Role } from '../../protocol/auth';

export type { Role };
export const ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const satisfies readonly Role[];

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text', unique: true }) username: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ type: 'text' }) role: Role;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
  /** A disabled user cannot sign in and loses every open session at once (src/people). */
  @Column({ type: 'boolean', default: false }) disabled: boolean;
  /** Set by an admin's reset: the next login must choose a new password. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false }) mustChangePassword: boolean;
  /** An agent's team. */
  @Column({ name: 'team_id', type: 'text', nullable: true }) teamId: string | null;
  /** A supervisor's teams: `all`, or a JSON array of team ids. */
  @Column({ type: 'text', default: 'all' }) supervises: string;
  /** Moved on by logging out: a token holds only while its user's epoch is the one it was issued at. */
  @Column({ name: 'session_epoch', type: 'integer', default: 0 }) sessionEpoch: number;
}
