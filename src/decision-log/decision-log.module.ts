import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallEventEntity } from './call-event.entity';
import { CallEntity } from './call.entity';
import { DecisionLog } from './decision-log';
import { SqliteDecisionLog } from './sqlite-decision-log';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CallEntity, CallEventEntity])],
  providers: [{ provide: DecisionLog, useClass: SqliteDecisionLog }],
  exports: [DecisionLog],
})
export class DecisionLogModule {}
