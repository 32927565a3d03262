import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkItemsController } from './work-items.controller';
import { WorkItemEntity, WorkItemHistoryEntity } from './work-items.entities';
import { WorkItems } from './work-items.service';

/** What calls promised, tracked to the end by the desks (docs/FOLLOW-UP.md). */
@Module({
  imports: [TypeOrmModule.forFeature([WorkItemEntity, WorkItemHistoryEntity])],
  providers: [WorkItems],
  controllers: [WorkItemsController],
  exports: [WorkItems],
})
export class WorkItemsModule {}
