import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsModule } from '../calls';
import { CustomersModule } from '../customers';
import { FlowsModule } from '../flows/flows.module';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeArticleEntity, KnowledgeAuditEntity, SearchLogEntity } from './knowledge.entities';
import { KnowledgeSearch } from './knowledge-search.service';
import { KnowledgeArticles } from './knowledge.service';
import { QuickAnswersController } from './scenario-answers/quick-answers.controller';
import { QuickAnswersService } from './scenario-answers/quick-answers.service';

@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeArticleEntity, KnowledgeAuditEntity, SearchLogEntity]), FlowsModule, CallsModule, CustomersModule],
  providers: [KnowledgeArticles, KnowledgeSearch, QuickAnswersService],
  controllers: [KnowledgeController, QuickAnswersController],
})
export class KnowledgeModule {}
