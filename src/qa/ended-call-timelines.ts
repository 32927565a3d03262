import { Injectable } from '@nestjs/common';
import { type CallRecord, DecisionLog, type StoredEvent } from '../decision-log/decision-log';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { buildTimeline, type Timeline } from './timeline';

export interface EndedCall {
  call: CallRecord;
  events: StoredEvent[];
  /** Built on first use, then shared; in zh-CN, the locale stored facts and checks are computed in. Throws when the call does not re-execute. */
  timeline(): Timeline;
}

/** Long enough for every listener of one call's end to ask; short enough to hold few timelines. */
const KEEP_MS = 2_000;

/**
 * An ended call read from the log and re-executed into its timeline once for everyone who
 * processes ended calls (QA checks, metrics facts): each did both on its own before, and under
 * load that re-execution was the largest cost on the main thread after the decisions themselves.
 */
@Injectable()
export class EndedCallTimelines {
  private readonly recent = new Map<string, Promise<EndedCall | null>>();

  constructor(
    private readonly log: DecisionLog,
    private readonly catalog: FlowCatalog,
  ) {}

  /** The ended call, its events and timeline; null when the log has no such call or it is still active. */
  get(callId: string): Promise<EndedCall | null> {
    let loaded = this.recent.get(callId);
    if (!loaded) {
      loaded = this.load(callId);
      this.recent.set(callId, loaded);
      setTimeout(() => this.recent.delete(callId), KEEP_MS).unref();
    }
    return loaded;
  }

  private async load(callId: string): Promise<EndedCall | null> {
    const call = await this.log.findCall(callId);
    if (!call || call.status === 'active') return null;
    const events = await this.log.events(callId);
    let built: Timeline | undefined;
    const timeline = () => (built ??= buildTimeline(this.catalog, call, events, 'zh-CN', (id) => this.catalog.titleOf(id)));
    return { call, events, timeline };
  }
}
