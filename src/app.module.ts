import { Module } from '@nestjs/common';
import { AnchoringModule } from './anchoring/anchoring.module';
import { AuthModule } from './auth/auth.module';
import { AuthoringModule } from './authoring/authoring.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { BackendModule } from './backend/backend.module';
import { CallsModule } from './calls';
import { ConfigModule } from './config/config.module';
import { CtiModule } from './cti/cti.module';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { DecisionLogModule } from './decision-log/decision-log.module';
import { EndOfCallModule } from './end-of-call/end-of-call.module';
import { ErasureModule } from './erasure/erasure.module';
import { FloorModule } from './floor';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { WorkItemsModule } from './work-items';
import { MetricsModule } from './metrics/metrics.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { ObservabilityModule } from './observability/observability.module';
import { PeopleModule } from './people';
import { QaModule } from './qa/qa.module';
import { RealtimeModule } from './realtime';
import { RedesignModule } from './redesign';
import { SatisfactionModule } from './satisfaction';
import { SsoModule } from './sso/sso.module';
import { TrainingModule } from './training';
import { WebAppModule } from './web-app/web-app.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    DatabaseModule,
    DecisionLogModule,
    BackendModule,
    AuthModule,
    SsoModule,
    FlowsModule,
    AuthoringModule,
    CampaignsModule,
    KnowledgeModule,
    WorkItemsModule,
    CallsModule,
    FloorModule,
    RealtimeModule,
    QaModule,
    TrainingModule,
    MetricsModule,
    SatisfactionModule,
    RedesignModule,
    EvaluationModule,
    EndOfCallModule,
    AnchoringModule,
    CustomersModule,
    CtiModule,
    PeopleModule,
    ErasureModule,
    HealthModule,
    WebAppModule,
  ],
})
export class AppModule {}
