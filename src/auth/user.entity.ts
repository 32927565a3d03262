import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { Role } from '../../protocol/auth';

export type { Role };
export const ROLES = ['agent', 'supervisor', 'qa'] as const satisfies readonly Role[];

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text', unique: true }) username: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ type: 'text' }) role: Role;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
}
