import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MyTraining, TrainingCallStarted, TrainingOverview, TrainingResult } from '../../protocol/training';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-schemas/errors';
import { UuidParam } from '../common/api-schemas/params';
import { TrainingCallStartedSchema, TrainingOverviewSchema, TrainingResultSchema, TrainingScenarioSchema } from '../common/api-schemas/training';
import { TrainingScenarioQueryDto, TrainingStartDto } from './dto/training.dto';
import type { TrainingScenario } from './scenarios';
import { Training } from './training.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such training call') });

/** Training mode (docs/TRAINING.md): trainees' simulated calls, their scores, and who is certified for what. */
@ApiTags('training')
@ApiErrors('VALIDATION_FAILED')
@Controller('api/training')
export class TrainingController {
  constructor(private readonly training: Training) {}

  @Get('scenarios')
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'The scenario scripts of a published business: simulator customers and the paths they take' })
  @ApiOkResponse({ type: TrainingScenarioSchema, isArray: true })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  scenarios(@Query() query: TrainingScenarioQueryDto): Promise<TrainingScenario[]> {
    return this.training.scenarios(query.flowId);
  }

  @Post('calls')
  @HttpCode(200)
  @Roles('agent')
  @ApiOperation({ summary: 'Start a training call on a scenario of the business (drawn at random unless named); drive it over /ws like any call' })
  @ApiOkResponse({ type: TrainingCallStartedSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'TOO_MANY_CALLS', 'FORBIDDEN')
  start(@Body() body: TrainingStartDto, @Req() req: AuthedRequest): Promise<TrainingCallStarted> {
    return this.training.start(req.user, body.flowId, body.scenarioId);
  }

  @Get('calls/:id')
  @Roles('agent', 'supervisor')
  @UuidParam('Training call id')
  @ApiOperation({ summary: 'A training call: its score once it ended (the trainee’s own, or any for supervisors)' })
  @ApiOkResponse({ type: TrainingResultSchema })
  @ApiErrors('NOT_FOUND', 'FORBIDDEN')
  result(@Param('id', uuid) id: string, @Req() req: AuthedRequest): Promise<TrainingResult> {
    return this.training.result(req.user, id);
  }

  @Get('me')
  @Roles('agent')
  @ApiOperation({ summary: 'My training calls and certifications, and the rules' })
  @ApiOkResponse({ type: TrainingOverviewSchema })
  async me(@Req() req: AuthedRequest): Promise<MyTraining> {
    return { ...this.training.rules(), ...(await this.training.standing(req.user.sub)) };
  }

  @Get('certifications')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Who is certified for which business, and the newest 500 training calls' })
  @ApiOkResponse({ type: TrainingOverviewSchema })
  async certifications(): Promise<TrainingOverview> {
    return { ...this.training.rules(), ...(await this.training.standing(null)) };
  }
}
