import { Module } from '@nestjs/common';
import { FlowCatalog } from './flow-catalog.service';
import { FlowsController } from './flows.controller';

@Module({
  providers: [FlowCatalog],
  controllers: [FlowsController],
  exports: [FlowCatalog],
})
export class FlowsModule {}
