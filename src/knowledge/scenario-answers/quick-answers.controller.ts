import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { QuickAnswerLogged, QuickAnswers } from '../../../protocol/knowledge';
import { type AuthedRequest, Roles } from '../../auth/jwt-auth.guard';
import { AppError } from '../../common/app-error';
import { ApiErrors } from '../../common/api-schemas/errors';
import { QuickAnswerLoggedSchema, QuickAnswersSchema } from '../../common/api-schemas/knowledge';
import { UuidParam } from '../../common/api-schemas/params';
import { QuickAnswersQueryDto, QuickAnswerToldDto } from '../dto/quick-answers.dto';
import { QuickAnswersService } from './quick-answers.service';

/** Scenario answers (docs/KNOWLEDGE.md): read at the screen pop, logged with the call when told. */
@ApiTags('knowledge')
@Controller('api')
@Roles('agent', 'supervisor')
export class QuickAnswersController {
  constructor(private readonly answers: QuickAnswersService) {}

  @Get('knowledge/quick-answers')
  @ApiOperation({
    summary: "The caller's quick answers (their bill, services, plan, points, credit, data left), read from the support systems now (the read is recorded)",
  })
  @ApiOkResponse({ type: QuickAnswersSchema })
  @ApiErrors('VALIDATION_FAILED')
  forCaller(@Query() query: QuickAnswersQueryDto, @Req() req: AuthedRequest): Promise<QuickAnswers> {
    return this.answers.forCaller(req.user, query.msisdn);
  }

  @Post('calls/:id/quick-answers')
  @HttpCode(200)
  @UuidParam('Call id')
  @ApiOperation({ summary: 'The agent told the caller a quick answer: read again and logged as a quick.answer call event with the reply' })
  @ApiOkResponse({ type: QuickAnswerLoggedSchema })
  @ApiErrors(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'FORBIDDEN',
    'INVALID_STATE',
    'OPTION_NOT_AVAILABLE',
    'CALL_TOO_LONG',
    'CALL_MOVED',
    'CALL_ERASED',
    'LOG_UNAVAILABLE',
  )
  tell(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', 'No such call') })) id: string,
    @Body() body: QuickAnswerToldDto,
    @Req() req: AuthedRequest,
  ): Promise<QuickAnswerLogged> {
    return this.answers.tell(req.user, id, body.answerId);
  }
}
