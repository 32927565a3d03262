import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { CustomersController } from './customers.controller';

@Module({ imports: [FlowsModule], controllers: [CustomersController] })
export class CustomersModule {}
