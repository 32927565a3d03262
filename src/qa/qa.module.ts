import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { CallQa } from './call-qa.service';
import { CallSearchService } from './call-search.service';
import { QaReplays } from './qa-replays.service';
import { QaController } from './qa.controller';
import { CallCheckResultEntity, ScorecardEntity, ScorecardRevisionEntity } from './qa.entities';
import { Scorecards } from './scorecards.service';

@Module({
  imports: [TypeOrmModule.forFeature([CallCheckResultEntity, ScorecardEntity, ScorecardRevisionEntity]), FlowsModule, CallsModule],
  providers: [CallQa, CallSearchService, Scorecards, QaReplays],
  exports: [CallQa],
  controllers: [QaController],
})
export class QaModule {}
