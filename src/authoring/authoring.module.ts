import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { AuthoringController } from './authoring.controller';
import { DryRuns } from './dry-run.service';
import { FlowAudit } from './flow-audit.service';
import { FlowAuthoring } from './flow-authoring.service';
import { FlowPaths } from './flow-paths.service';

@Module({
  imports: [FlowsModule],
  providers: [FlowAuthoring, FlowAudit, DryRuns, FlowPaths],
  controllers: [AuthoringController],
})
export class AuthoringModule {}
