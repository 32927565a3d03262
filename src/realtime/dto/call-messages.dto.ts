import { FastValidated } from '../../common/validation-fast-path';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import type { CallDecideMessage, CallRefMessage, CallStartMessage, FlowSearchMessage, RequestMessage } from '../../../protocol/frames';

/** Every client message names its request, so replies can be matched even when they arrive out of order. */
export class RequestDto implements RequestMessage {
  @IsString() @MinLength(1) @MaxLength(128) requestId: string;
}

@FastValidated()
export class CallStartDto extends RequestDto implements CallStartMessage {
  @Matches(/^\d{5,20}$/, { message: 'callerNumber must be 5–20 digits' }) callerNumber: string;
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'flowId must be a flow id' }) flowId: string;
  /** An outbound callback: the `callback` work item it makes (src/work-items). */
  @IsOptional() @IsInt() @Min(1) workItemId?: number;
}

@FastValidated()
export class CallRefDto extends RequestDto implements CallRefMessage {
  @IsUUID() callId: string;
}

@FastValidated()
export class CallDecideDto extends CallRefDto implements CallDecideMessage {
  @IsInt() @Min(1) seq: number;
  @IsString() @MinLength(1) @MaxLength(64) option: string;
  @IsOptional() @IsObject() input?: Record<string, unknown>;
  /** The care prompts (C) the agent ticked. Recorded, not trusted: QA checks them against the step. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) confirmedPrompts?: string[];
}

@FastValidated()
export class FlowSearchDto extends RequestDto implements FlowSearchMessage {
  @IsString() @MaxLength(100) q: string;
}
