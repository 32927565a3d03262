import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { CallEngine } from './call-engine.service';
import { CallRecords } from './call-replay.service';
import { CallsController } from './calls.controller';
import { CallsGateway } from './calls.gateway';
import { FloorService } from '../floor/floor.service';

@Module({
  imports: [FlowsModule],
  providers: [CallEngine, CallRecords, CallsGateway, FloorService],
  controllers: [CallsController],
  exports: [CallEngine, CallRecords],
})
export class CallsModule {}
