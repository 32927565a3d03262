import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeArticleEntity, KnowledgeAuditEntity, SearchLogEntity } from './knowledge.entities';
import { KnowledgeSearch } from './knowledge-search.service';
import { KnowledgeArticles } from './knowledge.service';

@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeArticleEntity, KnowledgeAuditEntity, SearchLogEntity]), FlowsModule],
  providers: [KnowledgeArticles, KnowledgeSearch],
  controllers: [KnowledgeController],
})
export class KnowledgeModule {}
