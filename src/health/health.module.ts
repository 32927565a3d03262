import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { HealthController } from './health.controller';

@Module({ imports: [CallsModule, FlowsModule, ClusterModule], controllers: [HealthController] })
export class HealthModule {}
