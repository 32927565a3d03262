import { Module } from '@nestjs/common';
import { AuthoringModule } from '../authoring/authoring.module';
import { FlowsModule } from '../flows/flows.module';
import { CampaignsController } from './campaigns.controller';
import { Campaigns } from './campaigns.service';

/** Test dialling campaigns (docs/CAMPAIGNS.md). */
@Module({
  imports: [FlowsModule, AuthoringModule],
  providers: [Campaigns],
  controllers: [CampaignsController],
})
export class CampaignsModule {}
