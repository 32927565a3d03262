import { Global, Module } from '@nestjs/common';
import { DecisionLog } from './decision-log';
import { SqliteDecisionLog } from './sqlite-decision-log';

@Global()
@Module({
  providers: [{ provide: DecisionLog, useClass: SqliteDecisionLog }],
  exports: [DecisionLog],
})
export class DecisionLogModule {}
