import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { QaModule } from '../qa/qa.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [FlowsModule, CallsModule, QaModule],
  providers: [MetricsService],
  controllers: [MetricsController],
  exports: [MetricsService],
})
export class MetricsModule {}
