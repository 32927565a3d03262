import { InitialSchema1763884800000 } from './1763884800000-initial-schema';
import { BusinessesPerCall1763971200000 } from './1763971200000-businesses-per-call';
import { MarketingMatrix1764057600000 } from './1764057600000-marketing-matrix';
import { FlowAuthoring1764144000000 } from './1764144000000-flow-authoring';
import { HashChain1764230400000 } from './1764230400000-hash-chain';
import { Qa1764316800000 } from './1764316800000-qa';
import { Metrics1764403200000 } from './1764403200000-metrics';
import { MetricMonthRollups1764489600000 } from './1764489600000-metric-month-rollups';
import { PostgresChainGuard1764576000000 } from './1764576000000-postgres-chain-guard';
import { LoginFailures1764662400000 } from './1764662400000-login-failures';
import { CallOutbox1764748800000 } from './1764748800000-call-outbox';
import { FlowPublicationNotify1764835200000 } from './1764835200000-flow-publication-notify';
import { SharedSecrets1764921600000 } from './1764921600000-shared-secrets';
import { Cluster1765008000000 } from './1765008000000-cluster';
import { FrameUsageShares1765094400000 } from './1765094400000-frame-usage-shares';
import { MatrixNotify1765180800000 } from './1765180800000-matrix-notify';
import { ProfileReads1765267200000 } from './1765267200000-profile-reads';
import { CtiEvents1765360800000 } from './1765360800000-cti-events';
import { People1765400000000 } from './1765400000000-people';
import { UserDirectoryVersion1765440000000 } from './1765440000000-user-directory-version';
import { CallKeys1765353600000 } from './1765353600000-call-keys';
import { Knowledge1765480000000 } from './1765480000000-knowledge';
import { WorkItems1765600000000 } from './1765600000000-work-items';
import { EvaluationModel1765610000000 } from './1765610000000-evaluation-model';
import { Satisfaction1765620000000 } from './1765620000000-satisfaction';
import { Training1765640000000 } from './1765640000000-training';
import { Campaigns1765630000000 } from './1765630000000-campaigns';
import { OutboxClaimOrder1765680000000 } from './1765680000000-outbox-claim-order';
import { DropEventsFlowIndex1765690000000 } from './1765690000000-drop-events-flow-index';
import { EndedCallsIndex1765700000000 } from './1765700000000-ended-calls-index';
import { KeptOutboxTraces1765710000000 } from './1765710000000-kept-outbox-traces';
import { RetainedCallsIndex1765720000000 } from './1765720000000-retained-calls-index';
import { WorkItemListingIndex1765730000000 } from './1765730000000-work-item-listing-index';
import { TrainingCallsStartedIndex1765740000000 } from './1765740000000-training-calls-started-index';
import { StepFlagsListingIndex1765750000000 } from './1765750000000-step-flags-listing-index';
import { ScorecardsAgentUpdatedIndex1765760000000 } from './1765760000000-scorecards-agent-updated-index';
import { CallerCallsIndex1765770000000 } from './1765770000000-caller-calls-index';
import { WorkItemsCallerIndex1765780000000 } from './1765780000000-work-items-caller-index';
import { SessionEpoch1765790000000 } from './1765790000000-session-epoch';
import { SatisfactionRollups1765670000000 } from './1765670000000-satisfaction-rollups';
import { WorkItemCallbacks1765650000000 } from './1765650000000-work-item-callbacks';

/**
 * Every migration, in the order they run. A migration is frozen once released: it imports no live
 * code (its DDL and any hashing are copied in), so changing the code never rewrites an applied one.
 */
export const MIGRATIONS = [
  InitialSchema1763884800000,
  BusinessesPerCall1763971200000,
  MarketingMatrix1764057600000,
  FlowAuthoring1764144000000,
  HashChain1764230400000,
  Qa1764316800000,
  Metrics1764403200000,
  MetricMonthRollups1764489600000,
  PostgresChainGuard1764576000000,
  LoginFailures1764662400000,
  CallOutbox1764748800000,
  FlowPublicationNotify1764835200000,
  SharedSecrets1764921600000,
  Cluster1765008000000,
  FrameUsageShares1765094400000,
  MatrixNotify1765180800000,
  ProfileReads1765267200000,
  CallKeys1765353600000,
  CtiEvents1765360800000,
  People1765400000000,
  UserDirectoryVersion1765440000000,
  Knowledge1765480000000,
  WorkItems1765600000000,
  EvaluationModel1765610000000,
  Satisfaction1765620000000,
  Campaigns1765630000000,
  Training1765640000000,
  WorkItemCallbacks1765650000000,
  SatisfactionRollups1765670000000,
  OutboxClaimOrder1765680000000,
  DropEventsFlowIndex1765690000000,
  EndedCallsIndex1765700000000,
  KeptOutboxTraces1765710000000,
  RetainedCallsIndex1765720000000,
  WorkItemListingIndex1765730000000,
  TrainingCallsStartedIndex1765740000000,
  StepFlagsListingIndex1765750000000,
  ScorecardsAgentUpdatedIndex1765760000000,
  CallerCallsIndex1765770000000,
  WorkItemsCallerIndex1765780000000,
  SessionEpoch1765790000000,
];
