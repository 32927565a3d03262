import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EvaluationModelView, EvaluationScores, OtherNeed, QuadrantData } from '../../protocol/evaluation';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { EvaluationModelSchema, EvaluationScoresSchema, OtherNeedSchema, QuadrantDataSchema } from '../common/api-schemas/evaluation';
import { EvaluationQuery, OtherNeedsQuery, ScoresQuery } from './dto/evaluation-query.dto';
import { EvaluationService } from './evaluation.service';

/** The evaluation model (dimensions → sub-dimensions → indicators), its scores and the importance × satisfaction quadrant (docs/EVALUATION.md). */
@ApiTags('evaluation')
@Controller('api/evaluation')
@Roles('supervisor', 'qa')
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Get('model')
  @ApiOperation({
    summary: 'The evaluation model in force: dimensions, sub-dimensions, indicators (source, formula or needed data, unit, direction, target, weight), stages',
  })
  @ApiOkResponse({ type: EvaluationModelSchema })
  model(): EvaluationModelView {
    return { ...this.evaluation.model, hash: this.evaluation.hash };
  }

  @Get('scores')
  @ApiOperation({
    summary: 'Every indicator, sub-dimension and dimension score and the composite, for the whole filter and per business, version, region, team or month',
  })
  @ApiOkResponse({ type: EvaluationScoresSchema })
  scores(@Query() q: ScoresQuery, @Req() req: AuthedRequest): Promise<EvaluationScores> {
    return this.evaluation.scores(q, req.user);
  }

  @Get('quadrant')
  @ApiOperation({ summary: 'Importance (stage weight × share of the stage) × satisfaction per business, and per stage' })
  @ApiOkResponse({ type: QuadrantDataSchema })
  quadrant(@Query() q: EvaluationQuery, @Req() req: AuthedRequest): Promise<QuadrantData> {
    return this.evaluation.quadrant(q, req.user);
  }

  @Get('other-needs')
  @ApiOperation({ summary: '"Other" needs at ask-need with the words the agent typed, newest first' })
  @ApiOkResponse({ type: OtherNeedSchema, isArray: true })
  otherNeeds(@Query() q: OtherNeedsQuery, @Req() req: AuthedRequest): Promise<OtherNeed[]> {
    return this.evaluation.otherNeeds(q, req.user, q.limit ?? 100);
  }
}
