import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { QaModule } from '../qa/qa.module';
import { TrainingController } from './training.controller';
import { TrainingCallEntity } from './training.entities';
import { Training } from './training.service';

/** Training mode and certification (docs/TRAINING.md). */
@Module({
  imports: [TypeOrmModule.forFeature([TrainingCallEntity]), FlowsModule, CallsModule, QaModule],
  providers: [Training],
  controllers: [TrainingController],
  exports: [Training],
})
export class TrainingModule {}
