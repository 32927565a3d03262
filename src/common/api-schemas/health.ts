import { ArrayOf, Bool, DateTime, Enum, Int, Of, Str, Strs } from './fields';

export class LoadProblemSchema {
  @Str({ description: 'JSON path into the definition, e.g. `$.machine`' }) path: string;
  @Str() message: string;
}

export class VersionNotLoadingSchema {
  @Str() flowId: string;
  @Int() version: number;
  @Str() status: string;
  @Bool() inForce: boolean;
  @Bool() everPublished: boolean;
  @ArrayOf(() => LoadProblemSchema) problems: LoadProblemSchema[];
  @Int() problemCount: number;
}

/** src/calls/unrecovered-call.ts CallNotRecovered. */
export class CallNotRecoveredSchema {
  @Str() callId: string;
  @Str() agentId: string;
  @DateTime() startedAt: string;
  @Str() flowId: string;
  @Int() version: number;
  @Enum(['flow-version-does-not-load', 'log-does-not-replay']) reason: 'flow-version-does-not-load' | 'log-does-not-replay';
}

export class NodeSchema {
  @Str() id: string;
  @Str({ nullable: true }) incarnation: string | null;
  @Int() callsHeld: number;
}

/** src/decision-log/call-outbox.ts OutboxBacklog, and when it was read (src/common/fresh-within.ts). */
export class OutboxBacklogSchema {
  @Int() pending: number;
  @Int() oldestAgeMs: number;
  @Int() retrying: number;
  @DateTime({
    description:
      'When this backlog was read: a poll that arrives while the read thread is busy (a long QA search) is answered after 1 s with the last one read',
  })
  readAt: string;
}

/** `GET /api/health`. */
export class HealthSchema {
  @Enum(['ok', 'degraded'], { description: '`degraded` (still 200) when something calls need does not load or a call was not recovered' })
  status: 'ok' | 'degraded';
  @Enum(['ok']) database: 'ok';
  @Int() liveCalls: number;
  @Of(() => NodeSchema, { optional: true, description: 'Several nodes on PostgreSQL: the node that answered' }) node?: NodeSchema;
  @Strs({ description: '`flowId@version` in force' }) flows: string[];
  @Int({ nullable: true }) matrixVersion: number | null;
  @ArrayOf(() => VersionNotLoadingSchema) versionsNotLoading: VersionNotLoadingSchema[];
  @ArrayOf(() => CallNotRecoveredSchema) callsNotRecovered: CallNotRecoveredSchema[];
  @Of(() => OutboxBacklogSchema) endOfCall: OutboxBacklogSchema;
}
