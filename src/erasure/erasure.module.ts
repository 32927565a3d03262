import { Module } from '@nestjs/common';
import { ErasuresController } from './erasure.controller';
import { Erasures } from './erasure.service';
import { RetentionJob } from './retention.job';

/** Retention and erasure of personal data by crypto-shredding (docs/RELIABILITY.md "Retention and erasure"). */
@Module({
  controllers: [ErasuresController],
  providers: [Erasures, RetentionJob],
  exports: [Erasures],
})
export class ErasureModule {}
