import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ImportReport, PeopleAuditEntry, PersonSummary, Team } from '../../protocol/people';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ImportReportSchema, PeopleAuditEntrySchema, PersonSummarySchema, TeamSchema } from '../common/api-schemas/people';
import { ApiErrors } from '../common/api-schemas/errors';
import { UuidParam } from '../common/api-schemas/params';
import { CreatePersonDto, ImportDto, ResetPasswordDto, TeamDto, UpdatePersonDto } from './dto/people.dto';
import { PeopleImport } from './people-import.service';
import { PeopleAudit } from './people-audit.service';
import { PeopleService } from './people.service';
import { PersonProblem } from './person-rules';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'Not found') });

/** A refused person over HTTP: 400 with the field and why (the CSV import reports the typed reason instead). */
async function refusedAs400<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof PersonProblem) throw new AppError('VALIDATION_FAILED', `${e.field} ${e.message}`, [{ field: e.field, problems: [e.message] }]);
    throw e;
  }
}

/** Users, teams, bulk import and the audit of every change: admins only (docs/PEOPLE.md). */
@ApiTags('people')
@Controller('api/people')
@Roles('admin')
@ApiErrors('FORBIDDEN')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly importer: PeopleImport,
    private readonly audit: PeopleAudit,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Every user, by username' })
  @ApiOkResponse({ type: PersonSummarySchema, isArray: true })
  users(): Promise<PersonSummary[]> {
    return this.people.users();
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a user (they must change the password at their first login)' })
  @ApiOkResponse({ type: PersonSummarySchema })
  @ApiErrors('VALIDATION_FAILED')
  @HttpCode(200)
  create(@Body() body: CreatePersonDto, @Req() req: AuthedRequest): Promise<PersonSummary> {
    return refusedAs400(this.people.create(req.user, body));
  }

  @Patch('users/:id')
  @ApiOperation({ summary: 'Disable/enable, re-role, set the team or supervised teams; disabling or re-roling ends their sessions at once' })
  @UuidParam('User id')
  @ApiOkResponse({ type: PersonSummarySchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  update(@Param('id', uuid) id: string, @Body() body: UpdatePersonDto, @Req() req: AuthedRequest): Promise<PersonSummary> {
    return refusedAs400(this.people.update(req.user, id, body));
  }

  @Post('users/:id/password-reset')
  @ApiOperation({ summary: 'Set a password the user must change at their next login; their sessions end at once' })
  @UuidParam('User id')
  @ApiOkResponse({ type: PersonSummarySchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  @HttpCode(200)
  reset(@Param('id', uuid) id: string, @Body() body: ResetPasswordDto, @Req() req: AuthedRequest): Promise<PersonSummary> {
    return this.people.resetPassword(req.user, id, body.password);
  }

  @Get('teams')
  @ApiOperation({ summary: 'Every team, by name' })
  @ApiOkResponse({ type: TeamSchema, isArray: true })
  teams(): Promise<Team[]> {
    return this.people.teams();
  }

  @Post('teams')
  @ApiOperation({ summary: 'Create a team' })
  @ApiOkResponse({ type: TeamSchema })
  @ApiErrors('VALIDATION_FAILED')
  @HttpCode(200)
  createTeam(@Body() body: TeamDto, @Req() req: AuthedRequest): Promise<Team> {
    return this.people.createTeam(req.user, body.name.trim());
  }

  @Patch('teams/:id')
  @ApiOperation({ summary: 'Rename a team' })
  @UuidParam('Team id')
  @ApiOkResponse({ type: TeamSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  renameTeam(@Param('id', uuid) id: string, @Body() body: TeamDto, @Req() req: AuthedRequest): Promise<Team> {
    return this.people.renameTeam(req.user, id, body.name.trim());
  }

  @Post('import')
  @ApiOperation({ summary: 'Create users from CSV (username,role,password[,team]): each row on its own, with a per-row report' })
  @ApiOkResponse({ type: ImportReportSchema })
  @ApiErrors('VALIDATION_FAILED')
  @HttpCode(200)
  import(@Body() body: ImportDto, @Req() req: AuthedRequest): Promise<ImportReport> {
    return this.importer.run(req.user, body.csv);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Every change made here, newest first (at most 500): who, what, when, before and after' })
  @ApiOkResponse({ type: PeopleAuditEntrySchema, isArray: true })
  auditList(): Promise<PeopleAuditEntry[]> {
    return this.audit.list();
  }
}
