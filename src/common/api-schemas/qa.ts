import type { CallRecord, CallStatus, Divergence, ReplayVerdict } from '../../../protocol/calls';
import type { LocalizedText } from '../../../protocol/flow-definition';
import type {
  CallCheckResult,
  CallFinding,
  CallPage,
  CheckOutcome,
  Criterion,
  FoundCall,
  Marks,
  QaReplay,
  Score,
  ScoredCriterion,
  Scorecard,
  ScorecardForm,
  ScorecardRevision,
  Timeline,
} from '../../../protocol/qa';
import { CallRecordSchema, DivergenceSchema, ReplayVerdictSchema } from './calls';
import { ArrayOf, Bool, CALL_STATUSES, DateTime, Enum, Int, LocalizedTextSchema, Num, Obj, Of, prop, Str, Strs } from './fields';

export class FoundCallSchema implements FoundCall {
  @Str({ format: 'uuid' }) id: string;
  @Str() agent: string;
  @Str({ description: 'Masked (138****0001) unless a supervisor reads it as JSON' }) callerNumber: string;
  @Str() flowId: string;
  @Int() flowVersion: number;
  @Strs({ description: '`flowId@version` of every business, in order' }) businesses: string[];
  @Str() status: string;
  @Str({ nullable: true }) outcome: string | null;
  @DateTime() startedAt: string;
  @DateTime({ nullable: true }) endedAt: string | null;
  @Int({ nullable: true }) durationMs: number | null;
  @Strs() failedChecks: string[];
}

export class CallPageSchema implements CallPage {
  @Int() total: number;
  @Bool() totalCapped: boolean;
  @Int() page: number;
  @Int() pageSize: number;
  @ArrayOf(() => FoundCallSchema) calls: FoundCall[];
}

export class TimelineBusinessSchema {
  @Str() flowId: string;
  @Int() version: number;
  @Str({ nullable: true }) outcome: string | null;
}

export class TimelineTotalsSchema {
  @Num() durationMs: number;
  @Num() waitMs: number;
  @Num() agentMs: number;
  @Int() steps: number;
  @ArrayOf(() => TimelineBusinessSchema) businesses: TimelineBusinessSchema[];
}

export class TimelineSchema implements Omit<Timeline, 'entries'> {
  @Str() callId: string;
  @Enum(CALL_STATUSES) status: CallStatus;
  @Str({ nullable: true }) outcome: string | null;
  @Enum(['hotline', 'direct'], { nullable: true }) mode: 'hotline' | 'direct' | null;
  @prop(
    { type: 'array', items: { type: 'object', additionalProperties: true } },
    { description: 'One view the agent was shown per logged event (protocol/qa.d.ts TimelineEntry)' },
  )
  entries: Record<string, unknown>[];
  @Bool() deterministic: boolean;
  @Of(() => DivergenceSchema, { nullable: true }) divergence: Divergence | null;
  @Of(() => TimelineTotalsSchema) totals: TimelineTotalsSchema;
}

export class CallFindingSchema implements CallFinding {
  @Int() seq: number;
  @Str() stepId: string;
  @Str() message: string;
}

export class CallCheckResultSchema implements CallCheckResult {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Bool() passed: boolean;
  @Bool() applicable: boolean;
  @ArrayOf(() => CallFindingSchema) findings: CallFinding[];
}

export class QaReplaySchema implements Omit<QaReplay, 'timeline'> {
  @Of(() => CallRecordSchema) call: CallRecord;
  @Of(() => ReplayVerdictSchema) verification: ReplayVerdict;
  @Of(() => TimelineSchema) timeline: TimelineSchema;
  @ArrayOf(() => CallCheckResultSchema) checks: CallCheckResult[];
}

export class CriterionSchema implements Criterion {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Of(() => LocalizedTextSchema, { optional: true }) guide?: LocalizedText;
  @Num() weight: number;
  @Num() max: number;
  @Strs({ optional: true, description: 'Scored from these automatic checks' }) auto?: string[];
}

export class ScorecardFormSchema implements ScorecardForm {
  @Int() version: number;
  @ArrayOf(() => CriterionSchema) criteria: Criterion[];
}

export class CheckOutcomeSchema implements CheckOutcome {
  @Str() id: string;
  @Bool() passed: boolean;
  @Bool() applicable: boolean;
}

export class ScoredCriterionSchema implements ScoredCriterion {
  @Str() id: string;
  @Num() score: number;
  @Num() max: number;
  @Num() weight: number;
  @Enum(['reviewer', 'auto', 'override']) source: ScoredCriterion['source'];
  @Str({ nullable: true }) comment: string | null;
  @ArrayOf(() => CheckOutcomeSchema, { optional: true }) checks?: CheckOutcome[];
}

export class ScoreSchema implements Score {
  @ArrayOf(() => ScoredCriterionSchema) criteria: ScoredCriterion[];
  @Num({ minimum: 0, maximum: 100 }) total: number;
}

export class ScorecardSchema implements Scorecard {
  @Str({ format: 'uuid' }) id: string;
  @Str({ format: 'uuid' }) callId: string;
  @Str() agentId: string;
  @Str() reviewer: string;
  @Int() formVersion: number;
  @Obj({ description: '`{ criterionId: { score?, comment? } }`' }) marks: Marks;
  @Of(() => ScoreSchema) score: Score;
  @Num() total: number;
  @Str({ nullable: true }) comment: string | null;
  @Int({ minimum: 1 }) revision: number;
  @DateTime() createdAt: string;
  @DateTime() updatedAt: string;
}

export class ScorecardRevisionSchema implements ScorecardRevision {
  @Str({ format: 'uuid' }) scorecardId: string;
  @Int({ minimum: 1 }) revision: number;
  @Str() reviewer: string;
  @DateTime() at: string;
  @Of(() => ScorecardSchema) content: Scorecard;
}
