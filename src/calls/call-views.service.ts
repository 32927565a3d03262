import { Injectable } from '@nestjs/common';
import type { Locale } from '../flows/flow-definition';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { type CallView, renderView } from './call-view';
import type { LiveCall } from './live-call';

/** The agent screen's view of a live call's current step, against the flows published now. */
@Injectable()
export class CallViews {
  constructor(private readonly catalog: FlowCatalog) {}

  of(call: LiveCall, locale: Locale): CallView {
    return renderView(call.progress, locale, this.catalog, this.catalog.businesses(), (id) => this.catalog.titleOf(id));
  }
}
