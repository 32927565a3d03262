import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntry, CheckReply, DryRunState, FlowDiff, FlowVersions, VersionDetail } from '../../protocol/authoring';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { DryRuns } from './dry-run.service';
import {
  ApproveDto,
  AuditQueryDto,
  CheckDefinitionDto,
  CreateDraftDto,
  DiffQueryDto,
  DryRunDecisionDto,
  EditDraftDto,
  RejectDto,
  StartDryRunDto,
} from './dto/authoring.dto';
import { FlowAudit } from './flow-audit.service';
import { FlowAuthoring } from './flow-authoring.service';
import { diffFlows } from './flow-diff';
import { FlowPaths } from './flow-paths.service';
import {
  AuditEntrySchema,
  CheckReplySchema,
  DryRunStateSchema,
  FlowDiffSchema,
  FlowVersionsSchema,
  VersionDetailSchema,
  VersionPathsSchema,
} from '../common/api-schemas/authoring';
import { FlowIdParam, UuidParam, VersionParam } from '../common/api-schemas/params';
import { ApiErrors } from '../common/api-schemas/errors';

const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;
const flowIdOf = (id: string) => {
  if (!FLOW_ID.test(id) || id.length > 64)
    throw new AppError('VALIDATION_FAILED', 'Invalid flow id', [{ field: 'flowId', problems: ['lower-case letters, digits and dashes'] }]);
  return id;
};
const version = new ParseIntPipe({
  exceptionFactory: () => new AppError('VALIDATION_FAILED', 'Invalid version', [{ field: 'version', problems: ['must be an integer'] }]),
});
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such dry run') });

/** Flow authoring for supervisors (QA may read). Agents reach none of it. */
@ApiTags('authoring')
@ApiErrors('VALIDATION_FAILED')
@Controller('api/authoring')
@Roles('supervisor')
export class AuthoringController {
  constructor(
    private readonly authoring: FlowAuthoring,
    private readonly audit: FlowAudit,
    private readonly dryRuns: DryRuns,
    private readonly paths: FlowPaths,
  ) {}

  @Get('flows')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'Every flow with its versions, their states and which one is in force' })
  @ApiOkResponse({ type: FlowVersionsSchema, isArray: true })
  flows(): Promise<FlowVersions[]> {
    return this.authoring.flows();
  }

  @Get('flows/:flowId/versions/:version')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'One version: definition, state, and the findings of the publish checks' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  version(@Param('flowId') flowId: string, @Param('version', version) v: number): Promise<VersionDetail> {
    return this.authoring.version(flowIdOf(flowId), v);
  }

  @Post('flows/:flowId/versions')
  @ApiOperation({ summary: 'New draft: a copy of a version (default: the one in force), or a given definition' })
  @FlowIdParam()
  @ApiCreatedResponse({ type: VersionDetailSchema })
  @ApiErrors('NOT_FOUND')
  create(@Param('flowId') flowId: string, @Body() body: CreateDraftDto, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.createDraft(req.user, flowIdOf(flowId), body);
  }

  @Put('flows/:flowId/versions/:version')
  @ApiOperation({ summary: "Replace a draft's definition; the reply lists what the checks find" })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  edit(@Param('flowId') flowId: string, @Param('version', version) v: number, @Body() body: EditDraftDto, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.editDraft(req.user, flowIdOf(flowId), v, body.definition);
  }

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: "Check a definition without saving it (the editor's inline validation)" })
  @ApiOkResponse({ type: CheckReplySchema })
  check(@Body() body: CheckDefinitionDto): CheckReply {
    return { findings: this.authoring.check(body.definition) };
  }

  @Post('flows/:flowId/versions/:version/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for approval; refused (422 CHECKS_FAILED) with the findings if any check fails' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'INVALID_STATE', 'CHECKS_FAILED')
  submit(@Param('flowId') flowId: string, @Param('version', version) v: number, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.submit(req.user, flowIdOf(flowId), v);
  }

  @Post('flows/:flowId/versions/:version/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted version (not by anyone who wrote it)' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  approve(@Param('flowId') flowId: string, @Param('version', version) v: number, @Body() body: ApproveDto, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.approve(req.user, flowIdOf(flowId), v, body.comment);
  }

  @Post('flows/:flowId/versions/:version/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted or approved version back to draft' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('NOT_FOUND', 'INVALID_STATE')
  reject(@Param('flowId') flowId: string, @Param('version', version) v: number, @Body() body: RejectDto, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.reject(req.user, flowIdOf(flowId), v, body.comment);
  }

  @Post('flows/:flowId/versions/:version/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put an approved version in force, or a retired one again (rollback); calls in progress keep theirs' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'INVALID_STATE', 'VERSION_DOES_NOT_LOAD', 'CHECKS_FAILED')
  publish(@Param('flowId') flowId: string, @Param('version', version) v: number, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.publish(req.user, flowIdOf(flowId), v);
  }

  @Post('flows/:flowId/versions/:version/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a version that is not in force' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionDetailSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'INVALID_STATE')
  retire(@Param('flowId') flowId: string, @Param('version', version) v: number, @Req() req: AuthedRequest): Promise<VersionDetail> {
    return this.authoring.retire(req.user, flowIdOf(flowId), v);
  }

  @Get('flows/:flowId/diff')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'What changed between two versions, in business terms; 422 VERSION_DOES_NOT_LOAD if either does not load' })
  @FlowIdParam()
  @ApiOkResponse({ type: FlowDiffSchema })
  @ApiErrors('NOT_FOUND', 'VERSION_DOES_NOT_LOAD')
  async diff(@Param('flowId') flowId: string, @Query() q: DiffQueryDto): Promise<FlowDiff> {
    // Sequential: a version that does not load answers 422 VERSION_DOES_NOT_LOAD naming it (`from` first).
    const from = await this.authoring.loaded(flowIdOf(flowId), q.from);
    const to = await this.authoring.loaded(flowId, q.to);
    return diffFlows(from.definition, to.definition);
  }

  @Get('flows/:flowId/versions/:version/paths')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'Every path of the version (from the machine) with its agent step count; 422 VERSION_DOES_NOT_LOAD if it does not load' })
  @FlowIdParam()
  @VersionParam()
  @ApiOkResponse({ type: VersionPathsSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'VERSION_DOES_NOT_LOAD', 'RATE_LIMITED')
  @Header('content-type', 'application/json; charset=utf-8')
  async pathsOf(@Param('flowId') flowId: string, @Param('version', version) v: number): Promise<string> {
    // VersionPaths as JSON text (cached per version: FlowPaths).
    const id = flowIdOf(flowId);
    return this.paths.json(id, v, await this.authoring.stored(id, v));
  }

  @Post('flows/:flowId/versions/:version/dry-runs')
  @ApiOperation({ summary: 'Start a dry run of the version for a simulator customer (nothing is logged); 422 VERSION_DOES_NOT_LOAD if it does not load' })
  @FlowIdParam()
  @VersionParam()
  @ApiCreatedResponse({ type: DryRunStateSchema })
  @ApiErrors('NOT_FOUND', 'VERSION_DOES_NOT_LOAD')
  startDryRun(
    @Param('flowId') flowId: string,
    @Param('version', version) v: number,
    @Body() body: StartDryRunDto,
    @Req() req: AuthedRequest,
  ): Promise<DryRunState> {
    return this.dryRuns.start(req.user, flowIdOf(flowId), v, body.msisdn, body.locale ?? 'zh-CN');
  }

  @Post('dry-runs/:id/decisions')
  @HttpCode(200)
  @ApiOperation({ summary: 'The next decision of a dry run; back-end steps are answered by the simulator' })
  @UuidParam('Dry run id')
  @ApiOkResponse({ type: DryRunStateSchema })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'STALE_SEQ', 'OPTION_NOT_AVAILABLE', 'INVALID_STATE')
  decide(@Param('id', uuid) id: string, @Body() body: DryRunDecisionDto, @Req() req: AuthedRequest): Promise<DryRunState> {
    return this.dryRuns.decide(req.user, id, body, body.locale ?? 'zh-CN');
  }

  @Get('audit')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'Who created, edited, submitted, approved, published, rolled back or retired what, when' })
  @ApiOkResponse({ type: AuditEntrySchema, isArray: true })
  auditTrail(@Query() q: AuditQueryDto): Promise<AuditEntry[]> {
    return this.audit.list({ ...(q.flowId ? { flowId: q.flowId } : {}), ...(q.version ? { version: q.version } : {}) });
  }

  @Get('policies')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The compliance policies every version is checked against' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true, description: 'The policy set (flows/policies.json)' } })
  policies() {
    return this.authoring.policies;
  }
}
