import type {
  AuditAction,
  AuditEntry,
  Change,
  ChangeKind,
  CheckReply,
  DefinitionDraft,
  DryRunState,
  Finding,
  FlowDiff,
  FlowPath,
  FlowVersions,
  LoadProblem,
  VersionDetail,
  VersionPaths,
  VersionStatus,
  VersionSummary,
} from '../../../protocol/authoring';
import type { CallView } from '../../../protocol/call-view';
import type { LoggedEvent } from '../../../protocol/calls';
import type { Locale, LocalizedText } from '../../../protocol/flow-definition';
import { CallViewSchema } from './call-view';
import { LoggedEventSchema } from './calls';
import { Any, ArrayOf, Bool, DateTime, Enum, Int, LOCALES, LocalizedTextSchema, Obj, Of, Str, Strs } from './fields';
import { LoadProblemSchema } from './health';

export const VERSION_STATUSES: readonly VersionStatus[] = ['draft', 'submitted', 'approved', 'published', 'retired'];

export class VersionSummarySchema implements VersionSummary {
  @Str() flowId: string;
  @Int({ minimum: 1 }) version: number;
  @Enum(VERSION_STATUSES) status: VersionStatus;
  @Bool() inForce: boolean;
  @Bool() everPublished: boolean;
  @Str() createdBy: string;
  @DateTime() createdAt: string;
  @DateTime({ nullable: true }) updatedAt: string | null;
  @Int({ nullable: true }) basedOn: number | null;
  @Str() source: string;
  @Bool() loads: boolean;
}

export class FindingSchema implements Finding {
  @Str({ description: '`loader`, `reachability` or `policy`' }) check: string;
  @Enum(['error']) severity: 'error';
  @Str() path: string;
  @Str() message: string;
  @Str({ optional: true }) policy?: string;
  @Strs({ optional: true }) offendingPath?: string[];
}

export class VersionDetailSchema extends VersionSummarySchema implements VersionDetail {
  @Obj({ nullable: true, description: 'As stored: a draft may hold any JSON object' }) definition: DefinitionDraft | null;
  @ArrayOf(() => FindingSchema) findings: Finding[];
  @ArrayOf(() => LoadProblemSchema) loadProblems: LoadProblem[];
}

export class FlowVersionsSchema implements FlowVersions {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Str() kind: string;
  @Int({ nullable: true }) inForce: number | null;
  @ArrayOf(() => VersionSummarySchema) versions: VersionSummary[];
}

export class CheckReplySchema implements CheckReply {
  @ArrayOf(() => FindingSchema) findings: Finding[];
}

const CHANGE_KINDS: readonly ChangeKind[] = [
  'step-added',
  'step-removed',
  'step-moved',
  'lane-changed',
  'marks-changed',
  'text-changed',
  'option-added',
  'option-removed',
  'option-changed',
  'offers-changed',
  'rules-changed',
  'outcome-changed',
  'operation-changed',
  'behaviour-changed',
  'flow-text-changed',
  'variant-added',
  'variant-removed',
  'variant-changed',
];

export class ChangeSchema implements Change {
  @Enum(CHANGE_KINDS) kind: ChangeKind;
  @Str({ optional: true }) stepId?: string;
  @Enum(LOCALES, { optional: true }) locale?: Locale;
  @Str({ optional: true }) field?: string;
  @Str({ optional: true }) region?: string;
  @Any({ optional: true }) before?: unknown;
  @Any({ optional: true }) after?: unknown;
  @Of(() => LocalizedTextSchema) text: LocalizedText;
}

export class FlowRefSchema {
  @Str() id: string;
  @Int() version: number;
}

export class DiffSummarySchema {
  @Int() added: number;
  @Int() removed: number;
  @Int() moved: number;
  @Int() changed: number;
}

export class FlowDiffSchema implements FlowDiff {
  @Of(() => FlowRefSchema) from: FlowRefSchema;
  @Of(() => FlowRefSchema) to: FlowRefSchema;
  @ArrayOf(() => ChangeSchema) changes: Change[];
  @Of(() => DiffSummarySchema) summary: DiffSummarySchema;
}

export class AuditEntrySchema implements AuditEntry {
  @Int() id: number;
  @Str() flowId: string;
  @Int({ nullable: true }) version: number | null;
  @Enum(['create', 'edit', 'submit', 'approve', 'reject', 'publish', 'rollback', 'retire'] satisfies AuditAction[]) action: AuditAction;
  @Str() actor: string;
  @DateTime() at: string;
  @Obj() detail: Record<string, unknown>;
}

export class PathStepSchema {
  @Str() state: string;
  @Str() via: string;
}

export class FlowPathSchema implements FlowPath {
  @Str() key: string;
  @Enum(['simple', 'loop']) kind: 'simple' | 'loop';
  @Str() outcome: string;
  @Int() agentSteps: number;
  @ArrayOf(() => PathStepSchema) steps: PathStepSchema[];
  @Strs() customers: string[];
}

export class VersionPathsSchema implements VersionPaths {
  @ArrayOf(() => FlowPathSchema) paths: FlowPath[];
  @Int({ nullable: true }) shortestSuccess: number | null;
}

export class DryRunStateSchema implements Omit<DryRunState, 'view'> {
  @Str({ format: 'uuid' }) dryRunId: string;
  @Str() flowId: string;
  @Int() version: number;
  @Of(() => CallViewSchema) view: Omit<CallView, 'step'>;
  @ArrayOf(() => LoggedEventSchema) events: LoggedEvent[];
}
