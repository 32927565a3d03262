import type { Role } from '../../../protocol/auth';
import type { ImportReport, ImportRowError, ImportRowResult, PeopleAction, PeopleAuditEntry, PersonSummary, Supervises, Team } from '../../../protocol/people';
import { ROLES } from './auth';
import { Any, ArrayOf, Bool, DateTime, Enum, Int, prop, Str } from './fields';

const ROW_ERRORS: ImportRowError[] = ['bad-username', 'duplicate-username', 'bad-role', 'weak-password', 'unknown-team', 'malformed-row'];
const ACTIONS: PeopleAction[] = [
  'user.create',
  'user.disable',
  'user.enable',
  'user.role',
  'user.team',
  'user.supervises',
  'user.password-reset',
  'team.create',
  'team.rename',
];
const SUPERVISES = prop({
  oneOf: [
    { type: 'string', enum: ['all'] },
    { type: 'array', items: { type: 'string', format: 'uuid' } },
  ],
});

export class PersonSummarySchema implements PersonSummary {
  @Str({ format: 'uuid' }) id: string;
  @Str() username: string;
  @Enum(ROLES) role: Role;
  @Bool() disabled: boolean;
  @Bool() mustChangePassword: boolean;
  @Str({ format: 'uuid', nullable: true }) teamId: string | null;
  @SUPERVISES supervises: Supervises;
  @DateTime() createdAt: string;
}

export class TeamSchema implements Team {
  @Str({ format: 'uuid' }) id: string;
  @Str() name: string;
  @DateTime() createdAt: string;
}

/** One row's outcome: `ok` with the new user's `id`, or not `ok` with a typed `error` and a `message`. */
export class ImportRowResultSchema {
  @Int({ description: '1-based data row (the header is row 0)' }) row: number;
  @Str() username: string;
  @Bool() ok: boolean;
  @Str({ format: 'uuid', optional: true }) id?: string;
  @Enum(ROW_ERRORS, { optional: true }) error?: ImportRowError;
  @Str({ optional: true }) message?: string;
}

export class ImportReportSchema implements ImportReport {
  @Int() created: number;
  @Int() failed: number;
  @ArrayOf(() => ImportRowResultSchema) rows: ImportRowResult[];
}

export class PeopleAuditEntrySchema implements PeopleAuditEntry {
  @Int() id: number;
  @DateTime() at: string;
  @Str() actor: string;
  @Enum(ACTIONS) action: PeopleAction;
  @Str() targetId: string;
  @Str() targetName: string;
  @Any() before: unknown;
  @Any() after: unknown;
}
