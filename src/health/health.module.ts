import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { HealthController } from './health.controller';

@Module({ imports: [CallsModule, FlowsModule], controllers: [HealthController] })
export class HealthModule {}
