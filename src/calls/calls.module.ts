import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster';
import { FlowsModule } from '../flows/flows.module';
import { CallEngine } from './call-engine.service';
import { CallRecords } from './call-records.service';
import { CallViews } from './call-views.service';
import { CallsController } from './calls.controller';
import { VerificationLocks } from './verification-locks';

@Module({
  imports: [FlowsModule, ClusterModule],
  providers: [CallEngine, CallRecords, CallViews, VerificationLocks],
  controllers: [CallsController],
  exports: [CallEngine, CallRecords, CallViews],
})
export class CallsModule {}
