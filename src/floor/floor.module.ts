import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { FloorScopes } from './floor-scopes.service';
import { FloorShares } from './floor-shares.service';
import { FloorService } from './floor.service';
import { OverdueItems } from './overdue-items';
import { WorkItemsModule } from '../work-items';

/** The supervisors' live floor: reads the live calls and back-end outcomes through the calls module's surface. */
@Module({
  imports: [CallsModule, FlowsModule, WorkItemsModule],
  providers: [FloorService, FloorShares, FloorScopes, OverdueItems],
  exports: [FloorService],
})
export class FloorModule {}
