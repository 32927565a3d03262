import type { Role } from '../../protocol/auth';
import type { ImportRowError, PersonSummary, Supervises } from '../../protocol/people';
import { describeProblems, passwordProblems } from '../auth/password-strength';
import { ROLES, type UserEntity } from '../auth/user.entity';

/** Letters, digits, `.`, `_`, `-`; 2–64 characters (the login form's limit). */
export const USERNAME = /^[A-Za-z0-9._-]{2,64}$/;

/** Why a person cannot be created or changed as asked: the CSV report's typed reason, a 400 over the API. */
export class PersonProblem extends Error {
  constructor(
    readonly reason: ImportRowError,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface NewPerson {
  username: string;
  role: string;
  password: string;
  teamId?: string | null;
}

/** The checks that need no database: the username's form, the role, the password's strength. */
export function newPersonProblem(person: NewPerson): PersonProblem | null {
  if (!USERNAME.test(person.username)) return new PersonProblem('bad-username', 'username', 'must be 2–64 letters, digits, ".", "_" or "-"');
  if (!isRole(person.role)) return new PersonProblem('bad-role', 'role', `must be one of ${ROLES.join(', ')}`);
  const weak = describeProblems(passwordProblems(person.password, person.username));
  if (weak.length) return new PersonProblem('weak-password', 'password', weak.join('; '));
  return null;
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export function parseSupervises(stored: string): Supervises {
  if (stored === 'all') return 'all';
  try {
    const ids: unknown = JSON.parse(stored);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : 'all';
  } catch {
    return 'all';
  }
}

export const storeSupervises = (value: Supervises): string => (value === 'all' ? 'all' : JSON.stringify([...new Set(value)].sort()));

export function summaryOf(user: UserEntity): PersonSummary {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    disabled: !!user.disabled,
    mustChangePassword: !!user.mustChangePassword,
    teamId: user.teamId ?? null,
    supervises: parseSupervises(user.supervises),
    createdAt: user.createdAt,
  };
}

/** Whether a supervisor with `supervises` sees an agent of `teamId` (an agent without a team: only supervisors of all). */
export const seesTeam = (supervises: Supervises, teamId: string | null): boolean => supervises === 'all' || (teamId !== null && supervises.includes(teamId));
