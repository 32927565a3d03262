import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowCatalog } from './flow-catalog.service';
import { FlowPublicationEntity } from './flow-publication.entity';
import { FlowSync } from './flow-sync.service';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowsController } from './flows.controller';
import { MatrixVersionEntity } from './matrix-version.entity';

@Module({
  imports: [TypeOrmModule.forFeature([FlowVersionEntity, MatrixVersionEntity, FlowPublicationEntity])],
  providers: [FlowCatalog, FlowSync],
  controllers: [FlowsController],
  exports: [FlowCatalog],
})
export class FlowsModule {}
