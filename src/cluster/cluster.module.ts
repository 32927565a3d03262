import { Module } from '@nestjs/common';
import { CallLeases } from './call-leases.service';

/** Several nodes on one PostgreSQL database: call leases and their fencing (nothing runs on SQLite). */
@Module({
  providers: [CallLeases],
  exports: [CallLeases],
})
export class ClusterModule {}
