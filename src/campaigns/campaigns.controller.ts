import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Campaign } from '../../protocol/campaigns';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { CampaignSchema } from '../common/api-schemas/campaigns';
import { ApiErrors } from '../common/api-schemas/errors';
import { Campaigns } from './campaigns.service';
import { CampaignListQuery, StartCampaignDto } from './dto/campaign.dto';

/** A campaign id that is not a number names no campaign. */
function campaignId(): ParseIntPipe {
  return new ParseIntPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such campaign') });
}

/** Test dialling (拨测) campaigns: supervisors run them, supervisors and QA read them. */
@ApiTags('campaigns')
@ApiErrors('VALIDATION_FAILED')
@Controller('api/campaigns')
@Roles('supervisor')
export class CampaignsController {
  constructor(private readonly campaigns: Campaigns) {}

  @Post()
  @ApiOperation({ summary: 'Run a test dialling campaign on a version (draft or stored): simulated callers by brand quota, the result kept with the version' })
  @ApiCreatedResponse({ type: CampaignSchema })
  @ApiErrors('NOT_FOUND', 'VERSION_DOES_NOT_LOAD', 'RATE_LIMITED')
  start(@Body() body: StartCampaignDto, @Req() req: AuthedRequest): Promise<Campaign> {
    return this.campaigns.start(req.user, body);
  }

  @Get()
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'The campaigns of a business (one version with `version`), newest first, at most 20' })
  @ApiOkResponse({ type: CampaignSchema, isArray: true })
  list(@Query() q: CampaignListQuery): Promise<Campaign[]> {
    return this.campaigns.list(q.flowId, q.version);
  }

  @Get(':id')
  @Roles('supervisor', 'qa')
  @ApiOperation({ summary: 'One campaign with its table' })
  @ApiOkResponse({ type: CampaignSchema })
  @ApiErrors('NOT_FOUND')
  one(@Param('id', campaignId()) id: number): Promise<Campaign> {
    return this.campaigns.get(id);
  }
}
