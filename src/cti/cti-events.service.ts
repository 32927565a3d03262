import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import type { CtiEvent, CtiEventAck } from '../../protocol/cti';
import { CallEngine } from '../calls';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { ScreenPops } from '../realtime';
import { CtiEventStore } from './cti-event-store';
import { type IvrMap, loadIvrMap, suggestedFlow } from './ivr-map';

/**
 * What each telephony event does (docs/CTI.md §3). Its id is claimed first (a replay changes
 * nothing); when acting on it fails — the agent has no screen open, the caller is unknown — the
 * claim is released and the typed error answers the CTI system.
 */
@Injectable()
export class CtiEvents implements OnModuleInit {
  private readonly logger = new Logger(CtiEvents.name);
  private ivrMap?: IvrMap;

  constructor(
    private readonly config: AppConfig,
    private readonly catalog: FlowCatalog,
    private readonly store: CtiEventStore,
    private readonly pops: ScreenPops,
    private readonly engine: CallEngine,
  ) {}

  /** With CTI on, the IVR map is read and checked at boot against the flows in force (a bad file stops the boot). */
  onModuleInit(): void {
    if (!this.config.CTI_SECRET) return;
    const kinds = new Map(this.catalog.list().map((f) => [f.id, f.kind ?? 'business']));
    this.ivrMap = loadIvrMap(path.resolve(this.config.CTI_IVR_MAP_FILE), (id) => kinds.get(id) ?? null);
  }

  async handle(event: CtiEvent): Promise<CtiEventAck> {
    await this.store.claim(event, new Date().toISOString());
    try {
      return await this.apply(event);
    } catch (e) {
      // The CTI system is answered with why the event failed, whether or not its id could be forgotten.
      await this.store.release(event.eventId).catch((r: Error) => this.logger.warn(`CTI event ${event.eventId} stays claimed: ${r.message}`));
      throw e;
    }
  }

  private async apply(event: CtiEvent): Promise<CtiEventAck> {
    const ack: CtiEventAck = { eventId: event.eventId, type: event.type };
    switch (event.type) {
      case 'call.offered':
        return ack;
      case 'call.answered': {
        const flowId = suggestedFlow(this.ivrMap!, event.ivrPath);
        const call = await this.pops.pop({
          username: event.agent!,
          callerNumber: event.callerNumber,
          flowId,
          ctiCallId: event.ctiCallId,
          ivrPath: event.ivrPath,
        });
        await this.store.linkCall(event.eventId, call.id);
        return { ...ack, callId: call.id, flowId, callStatus: call.progress.record.status };
      }
      case 'call.transferred': {
        const callId = await this.store.callOf(event.ctiCallId);
        if (callId) await this.store.linkCall(event.eventId, callId);
        return callId ? { ...ack, callId } : ack;
      }
      case 'call.ended': {
        const callId = await this.store.callOf(event.ctiCallId);
        if (!callId) return ack;
        await this.store.linkCall(event.eventId, callId);
        // Only the caller's hang-up abandons the call: an agent's or the system's end leaves the agent to close it on screen.
        if (event.endedBy !== 'caller') return { ...ack, callId };
        const call = await this.engine.hangupByCaller(callId, { ctiEventId: event.eventId });
        if (!call) throw new AppError('NOT_FOUND', `No call ${callId}`);
        return { ...ack, callId, callStatus: call.progress.record.status };
      }
    }
  }
}
