import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { CustomersController } from './customers.controller';
import { ProfileReadEntity } from './profile-read.entity';
import { ProfileReadsController } from './profile-reads.controller';
import { ProfileReads } from './profile-reads.service';
import { ContactHistories } from './contact-history.service';
import { WorkItemsModule } from '../work-items';

@Module({
  imports: [FlowsModule, WorkItemsModule, TypeOrmModule.forFeature([ProfileReadEntity])],
  controllers: [CustomersController, ProfileReadsController],
  providers: [ProfileReads, ContactHistories],
  exports: [ProfileReads],
})
export class CustomersModule {}
