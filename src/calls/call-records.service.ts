import { Injectable } from '@nestjs/common';
import type { CallWithEvents, ReplayVerdict } from '../../protocol/calls';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { CallRecord, DecisionLog } from '../decision-log/decision-log';
import { callErased } from '../decision-log/log-rows';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { replayCall } from './step';

/** Read access to logged calls for QA, supervisors and the agent who took the call. */
@Injectable()
export class CallRecords {
  constructor(
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
  ) {}

  async read(user: AuthUser, callId: string): Promise<CallWithEvents> {
    const call = await this.readable(user, callId);
    return { ...call, events: await this.log.events(callId) };
  }

  async replay(user: AuthUser, callId: string): Promise<ReplayVerdict> {
    const call = await this.readable(user, callId);
    const { progress: _p, ...result } = replayCall(this.catalog, call, await this.log.events(callId));
    return result;
  }

  /** Refuses (CALL_ERASED) a call whose payload key retention or an erasure destroyed: before a kept replay of it is sent. */
  async refuseErased(callId: string): Promise<void> {
    const at = await this.log.erasedAt(callId);
    if (at) throw callErased(callId, at);
  }

  /** The call's row, if this user may read it (NOT_FOUND / FORBIDDEN otherwise): a cheap check before any heavy read. */
  async readable(user: AuthUser, callId: string): Promise<CallRecord> {
    const call = await this.log.findCall(callId);
    if (!call) throw new AppError('NOT_FOUND', `No call ${callId}`);
    if (user.role === 'agent' && call.agentId !== user.sub) throw new AppError('FORBIDDEN', 'Agents see only their own calls');
    return call;
  }
}
