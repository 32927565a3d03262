import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FloorService } from './floor.service';

/** The supervisors' live floor: reads the live calls and back-end outcomes through the calls module's surface. */
@Module({
  imports: [CallsModule],
  providers: [FloorService],
  exports: [FloorService],
})
export class FloorModule {}
