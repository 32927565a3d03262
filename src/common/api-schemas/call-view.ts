import type { CallBusiness, CallView, StepInput } from '../../../protocol/call-view';
import type { CallStatus } from '../../../protocol/calls';
import type { CustomerProfile } from '../../../protocol/customers';
import { ArrayOf, Bool, CALL_STATUSES, Enum, Int, Obj, Of, Str } from './fields';
import { CustomerProfileSchema } from './customers';

export class ViewFlowSchema {
  @Str() id: string;
  @Int() version: number;
  @Str() title: string;
  @Str({ nullable: true }) variant: string | null;
}

export class CallBusinessSchema implements CallBusiness {
  @Str() flowId: string;
  @Int({ nullable: true }) version: number | null;
  @Str() title: string;
  @Enum(['done', 'active', 'queued']) status: CallBusiness['status'];
  @Str({ nullable: true }) outcome: string | null;
}

/** What the agent's screen shows for one step (docs/PROTOCOL.md §4 `call.view`); `step` as protocol/call-view.d.ts has it. */
export class CallViewSchema implements Omit<CallView, 'step'> {
  @Str() callId: string;
  @Int() seq: number;
  @Enum(CALL_STATUSES) status: CallStatus;
  @Str({ optional: true }) outcome?: string;
  @Obj({ optional: true }) outcomeDetail?: Record<string, unknown>;
  @Of(() => ViewFlowSchema) flow: ViewFlowSchema;
  @ArrayOf(() => CallBusinessSchema) businesses: CallBusiness[];
  @Bool() betweenBusinesses: boolean;
  @Obj({ description: 'id, title, lane, marks, script, prompts, inputs, options, offers, rules, holding (protocol/call-view.d.ts)' })
  step: Record<string, unknown>;
  @Of(() => CustomerProfileSchema) customer: CustomerProfile;
}

export type { StepInput };
