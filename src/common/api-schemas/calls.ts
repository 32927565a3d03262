import type {
  CallEventType,
  CallRecord,
  CallStatus,
  CallWithEvents,
  ChainBreak,
  ChainVerdict,
  Divergence,
  LoggedEvent,
  ReplayVerdict,
  StoredEvent,
} from '../../../protocol/calls';
import { Any, ArrayOf, Bool, CALL_STATUSES, DateTime, Enum, Int, Obj, Of, Str } from './fields';

export const CALL_EVENT_TYPES: readonly CallEventType[] = ['call.started', 'decision', 'backend.reply', 'timeout', 'call.hangup', 'step.flag', 'quick.answer'];

export class CallRecordSchema implements CallRecord {
  @Str({ format: 'uuid' }) id: string;
  @Str() flowId: string;
  @Int() flowVersion: number;
  @Str() agentId: string;
  @Str() callerNumber: string;
  @Enum(CALL_STATUSES) status: CallStatus;
  @Str({ nullable: true }) outcome: string | null;
  @Obj({ nullable: true }) outcomeDetail: Record<string, unknown> | null;
  @Str() state: string;
  @Str({ nullable: true }) currentFlowId: string | null;
  @Int({ nullable: true }) currentFlowVersion: number | null;
  @Int() seq: number;
  @DateTime() startedAt: string;
  @DateTime() updatedAt: string;
  @DateTime({ nullable: true }) endedAt: string | null;
}

export class LoggedEventSchema implements LoggedEvent {
  @Str() callId: string;
  @Int() seq: number;
  @Enum(CALL_EVENT_TYPES) type: CallEventType;
  @Obj() payload: Record<string, unknown>;
  @Str() agentId: string;
  @Str() flowId: string;
  @Int() flowVersion: number;
  @Str({ nullable: true }) stateBefore: string | null;
  @Str({ nullable: true }) flowIdAfter: string | null;
  @Int({ nullable: true }) flowVersionAfter: number | null;
  @Str() stateAfter: string;
  @DateTime() at: string;
}

export class StoredEventSchema extends LoggedEventSchema implements StoredEvent {
  @Str({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
  @Str({ pattern: '^[0-9a-f]{64}$' }) hash: string;
}

export class CallWithEventsSchema extends CallRecordSchema implements CallWithEvents {
  @ArrayOf(() => StoredEventSchema) events: StoredEvent[];
}

export class DivergenceSchema implements Divergence {
  @Int() seq: number;
  @Str() field: string;
  @Any() expected: unknown;
  @Any() actual: unknown;
}

export class ChainBreakSchema implements ChainBreak {
  @Int() seq: number;
  @Str() reason: string;
}

export class ChainVerdictSchema implements ChainVerdict {
  @Bool() intact: boolean;
  @Of(() => ChainBreakSchema, { nullable: true }) brokenAt: ChainBreak | null;
}

export class ReplayVerdictSchema implements ReplayVerdict {
  @Str() callId: string;
  @Bool() deterministic: boolean;
  @Int() eventsReplayed: number;
  @ArrayOf(() => DivergenceSchema) divergences: Divergence[];
  @Of(() => ChainVerdictSchema) chain: ChainVerdict;
}
