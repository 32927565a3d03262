import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { FlowsModule } from '../flows/flows.module';
import { MetricsController } from './metrics.controller';
import { MetricsRecorder } from './metrics-recorder.service';
import { MetricsService } from './metrics.service';

@Module({
  imports: [FlowsModule, CallsModule],
  providers: [MetricsRecorder, MetricsService],
  controllers: [MetricsController],
})
export class MetricsModule {}
