import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { QuickAnswerTold } from '../../../protocol/knowledge';

export class QuickAnswersQueryDto {
  @ApiProperty({ pattern: '^\\d{5,20}$' })
  @Matches(/^\d{5,20}$/, { message: 'msisdn must be 5–20 digits' })
  msisdn: string;
}

export class QuickAnswerToldDto implements QuickAnswerTold {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'answerId must be an answer id' })
  answerId: string;
}
