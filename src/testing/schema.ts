import { UserEntity } from '../auth/user.entity';
import { FlowAuditEntity } from '../authoring/flow-audit.entity';
import { ProfileReadEntity } from '../customers/profile-read.entity';
import { CtiEventEntity } from '../cti/cti-event.entity';
import { CallEventEntity } from '../decision-log/call-event.entity';
import { CallEntity } from '../decision-log/call.entity';
import { KnowledgeArticleEntity, KnowledgeAuditEntity, SearchLogEntity } from '../knowledge/knowledge.entities';
import { WorkItemEntity, WorkItemHistoryEntity } from '../work-items/work-items.entities';
import { FlowPublicationEntity } from '../flows/flow-publication.entity';
import { PeopleAuditEntity, TeamEntity } from '../people/people.entities';
import { FlowVersionEntity } from '../flows/flow-version.entity';
import { MatrixVersionEntity } from '../flows/matrix-version.entity';
import { CallCheckResultEntity, ScorecardEntity, ScorecardRevisionEntity } from '../qa/qa.entities';
import { TrainingCallEntity } from '../training/training.entities';

export { MIGRATIONS } from '../database/migrations';

/**
 * Every entity, for code that builds a DataSource outside Nest (spec databases, benches) with
 * MIGRATIONS. The server takes each feature's entities from its own module (`TypeOrmModule.forFeature`);
 * schema.spec.ts checks that this list names every entity in src/ and that it matches the migrated tables.
 */
export const ENTITIES = [
  UserEntity,
  CallEntity,
  CallEventEntity,
  FlowVersionEntity,
  MatrixVersionEntity,
  FlowPublicationEntity,
  FlowAuditEntity,
  CallCheckResultEntity,
  ScorecardEntity,
  ScorecardRevisionEntity,
  ProfileReadEntity,
  CtiEventEntity,
  TeamEntity,
  PeopleAuditEntity,
  KnowledgeArticleEntity,
  KnowledgeAuditEntity,
  SearchLogEntity,
  WorkItemEntity,
  TrainingCallEntity,
  WorkItemHistoryEntity,
];
