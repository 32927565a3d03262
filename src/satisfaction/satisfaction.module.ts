import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionReads } from './satisfaction-reads.service';
import { SurveyReplies } from './survey-replies.store';
import { SurveySignatureGuard } from './survey-signature.guard';

/** Satisfaction (docs/SATISFACTION.md): the signed survey answers in, the figures per business, version, agent and step path out. */
@Module({
  imports: [MetricsModule],
  controllers: [SatisfactionController],
  providers: [SurveyReplies, SatisfactionReads, SurveySignatureGuard],
  exports: [SatisfactionReads],
})
export class SatisfactionModule {}
