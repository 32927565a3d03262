import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { EvaluationModule } from '../evaluation';
import { FlowsModule } from '../flows/flows.module';
import { RedesignController } from './redesign.controller';
import { Redesign } from './redesign.service';
import { StepFlags } from './step-flags.store';

/** Everyone a service designer (docs/REDESIGN.md): step flags and the redesign backlog. */
@Module({
  imports: [CallsModule, FlowsModule, EvaluationModule],
  controllers: [RedesignController],
  providers: [Redesign, StepFlags],
})
export class RedesignModule {}
