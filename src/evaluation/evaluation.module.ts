import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics';
import { EvaluationController } from './evaluation.controller';
import { EvaluationService } from './evaluation.service';
import { SATISFACTION_FIGURES, SatisfactionTableReader } from './satisfaction-source';

@Module({
  imports: [MetricsModule],
  providers: [EvaluationService, { provide: SATISFACTION_FIGURES, useClass: SatisfactionTableReader }],
  controllers: [EvaluationController],
  exports: [EvaluationService],
})
export class EvaluationModule {}
