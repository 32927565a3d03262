import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { AuthoringController } from './authoring.controller';
import { DryRuns } from './dry-run.service';
import { FlowAuditEntity } from './flow-audit.entity';
import { FlowAudit } from './flow-audit.service';
import { FlowAuthoring } from './flow-authoring.service';
import { FlowPaths } from './flow-paths.service';

@Module({
  imports: [TypeOrmModule.forFeature([FlowAuditEntity]), FlowsModule],
  providers: [FlowAuthoring, FlowAudit, DryRuns, FlowPaths],
  controllers: [AuthoringController],
  // Campaigns (src/campaigns) read the stored versions they dial.
  exports: [FlowAuthoring],
})
export class AuthoringModule {}
