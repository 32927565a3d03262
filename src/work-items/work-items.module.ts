import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { WorkItemCallbacks } from './work-item-callbacks.service';
import { WorkItemsController } from './work-items.controller';
import { WorkItemEntity, WorkItemHistoryEntity } from './work-items.entities';
import { WorkItems } from './work-items.service';

/** What calls promised, tracked to the end by the desks (docs/FOLLOW-UP.md). */
@Module({
  imports: [FlowsModule, TypeOrmModule.forFeature([WorkItemEntity, WorkItemHistoryEntity])],
  providers: [WorkItems, WorkItemCallbacks],
  controllers: [WorkItemsController],
  exports: [WorkItems, WorkItemCallbacks],
})
export class WorkItemsModule {}
