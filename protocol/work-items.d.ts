/** Work items (docs/FOLLOW-UP.md): what a call promised, tracked to the end by a desk. */

export type WorkItemType = 'work-order' | 'transfer' | 'follow-up' | 'callback';
export type WorkItemStatus = 'open' | 'in-progress' | 'resolved' | 'closed';
export type WorkItemPriority = 'high' | 'normal';

export interface WorkItem {
  id: number;
  type: WorkItemType;
  status: WorkItemStatus;
  priority: WorkItemPriority;
  /** The call and the logged event (its seq) that raised it; the step the call was at. */
  callId: string;
  sourceSeq: number;
  flowId: string | null;
  stepId: string | null;
  /** The business it is about (the flow that raised it). */
  business: string | null;
  callerNumber: string;
  customerTier: string | null;
  /** The back end's reference (the work-order number read out to the caller), when it gave one. */
  receiptId: string | null;
  /** The desk (team id) that owns it, and who has claimed it (null: nobody yet). */
  desk: string;
  assignee: string | null;
  /** The service-level rule that set `dueAt` (flows/follow-up/service-levels.json). */
  rule: string;
  createdAt: string;
  dueAt: string;
  updatedAt: string;
  /** Past due and not resolved or closed (as of the reply). */
  overdue: boolean;
  /** A callback: the item it follows up, the flow chosen for the call, what it is for, and the outbound call once made. */
  parentId: number | null;
  callbackFlowId: string | null;
  callbackNote: string | null;
  outboundCallId: string | null;
}

export interface WorkItemHistoryEntry {
  at: string;
  actor: string;
  action: 'created' | 'claimed' | 'status' | 'reopened' | 'callback-scheduled' | 'called';
  fromStatus: WorkItemStatus | null;
  toStatus: WorkItemStatus;
  note: string | null;
}

/** `GET /api/work-items/:id` */
export interface WorkItemDetail extends WorkItem {
  history: WorkItemHistoryEntry[];
}

/** `GET /api/work-items?scope=` — overdue first, then by due time. */
export interface WorkItemList {
  items: WorkItem[];
}

/** `POST /api/work-items/:id/status` */
export interface WorkItemStatusChange {
  status: WorkItemStatus;
  note?: string;
}

/**
 * `POST /api/work-items/:id/callback`: schedule a call back to the item's caller — a `callback` item
 * on the same desk, assigned to who scheduled it, due at `at`, made as an outbound call on `flowId`.
 */
export interface WorkItemCallbackRequest {
  /** ISO time, from now to 30 days ahead. */
  at: string;
  /** The business flow the call opens on. */
  flowId: string;
  note?: string;
}

/** One group of `GET /api/work-items/on-time`: the items due in the range, and how they were kept. */
export interface OnTimeRow {
  /** The business, desk or customer tier ('' when unknown). */
  key: string;
  due: number;
  /** Resolved or closed no later than due. */
  onTime: number;
  /** Resolved or closed after it was due. */
  late: number;
  /** Still to do and past due. */
  overdue: number;
  /** onTime / (onTime + late + overdue), 3 decimals; null when none is judged yet. */
  rate: number | null;
}

/** `GET /api/work-items/on-time?from&to` (supervisors, QA): the dashboards' on-time rate. */
export interface OnTimeReport {
  from: string;
  to: string;
  byBusiness: OnTimeRow[];
  byDesk: OnTimeRow[];
  byTier: OnTimeRow[];
}
