/** People administration: `/api/people` (admins only; docs/PEOPLE.md). */
import type { Role } from './auth';

/** A supervisor sees the agents of these teams on the floor and dashboards, or every agent (`'all'`). */
export type Supervises = 'all' | string[];

export interface PersonSummary {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  /** An admin reset the password: the next login must set a new one. */
  mustChangePassword: boolean;
  /** An agent's team (null: none). */
  teamId: string | null;
  /** A supervisor's teams (other roles: `'all'`, unused). */
  supervises: Supervises;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

/** `POST /api/people/users`: a new user must change this password at their first login. */
export interface CreatePersonRequest {
  username: string;
  role: Role;
  password: string;
  teamId?: string | null;
  supervises?: Supervises;
}

/** `PATCH /api/people/users/:id`: what changes (each field audited separately with its before/after). */
export interface UpdatePersonRequest {
  role?: Role;
  disabled?: boolean;
  teamId?: string | null;
  supervises?: Supervises;
}

/** `POST /api/people/users/:id/password-reset`. */
export interface ResetPasswordRequest {
  password: string;
}

export interface TeamRequest {
  name: string;
}

/** `POST /api/people/import`: CSV text with a header `username,role,password[,team]`. */
export interface ImportRequest {
  csv: string;
}

/** Why a CSV row was refused (nothing of that row was written). */
export type ImportRowError = 'bad-username' | 'duplicate-username' | 'bad-role' | 'weak-password' | 'unknown-team' | 'malformed-row';

export type ImportRowResult =
  { row: number; username: string; ok: true; id: string } | { row: number; username: string; ok: false; error: ImportRowError; message: string };

export interface ImportReport {
  created: number;
  failed: number;
  rows: ImportRowResult[];
}

export type PeopleAction =
  'user.create' | 'user.disable' | 'user.enable' | 'user.role' | 'user.team' | 'user.supervises' | 'user.password-reset' | 'team.create' | 'team.rename';

/** One audited change: who, what, when, before and after (GET /api/people/audit, newest first). */
export interface PeopleAuditEntry {
  id: number;
  at: string;
  actor: string;
  action: PeopleAction;
  targetId: string;
  targetName: string;
  before: unknown;
  after: unknown;
}
