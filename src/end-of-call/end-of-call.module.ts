import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { QaModule } from '../qa/qa.module';
import { WorkItemsModule } from '../work-items';
import { EndOfCallWorker } from './end-of-call-worker.service';
import { LegacyTraces } from './legacy-traces';

/**
 * What follows an ended call — its QA checks, metrics facts and rollups, the work items it raised — done off the main thread
 * by a worker fed from the durable outbox (docs/RELIABILITY.md, "End-of-call work").
 */
@Module({
  imports: [QaModule, CallsModule, WorkItemsModule],
  providers: [EndOfCallWorker, LegacyTraces],
})
export class EndOfCallModule {}
