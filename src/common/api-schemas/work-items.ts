import type {
  OnTimeReport,
  OnTimeRow,
  WorkItem,
  WorkItemDetail,
  WorkItemHistoryEntry,
  WorkItemList,
  WorkItemPriority,
  WorkItemStatus,
  WorkItemType,
} from '../../../protocol/work-items';
import { ArrayOf, Bool, DateTime, Enum, Int, Num, Str } from './fields';

const TYPES: readonly WorkItemType[] = ['work-order', 'transfer', 'follow-up', 'callback'];
const STATUSES: readonly WorkItemStatus[] = ['open', 'in-progress', 'resolved', 'closed'];
const PRIORITIES: readonly WorkItemPriority[] = ['high', 'normal'];

export class WorkItemSchema implements WorkItem {
  @Int() id: number;
  @Enum(TYPES) type: WorkItemType;
  @Enum(STATUSES) status: WorkItemStatus;
  @Enum(PRIORITIES) priority: WorkItemPriority;
  @Str() callId: string;
  @Int() sourceSeq: number;
  @Str({ nullable: true }) flowId: string | null;
  @Str({ nullable: true }) stepId: string | null;
  @Str({ nullable: true }) business: string | null;
  @Str() callerNumber: string;
  @Str({ nullable: true }) customerTier: string | null;
  @Str({ nullable: true }) receiptId: string | null;
  @Str() desk: string;
  @Str({ nullable: true }) assignee: string | null;
  @Str() rule: string;
  @DateTime() createdAt: string;
  @DateTime() dueAt: string;
  @DateTime() updatedAt: string;
  @Bool() overdue: boolean;
  @Int({ nullable: true }) parentId: number | null;
  @Str({ nullable: true }) callbackFlowId: string | null;
  @Str({ nullable: true }) callbackNote: string | null;
  @Str({ nullable: true }) outboundCallId: string | null;
}

export class WorkItemHistoryEntrySchema implements WorkItemHistoryEntry {
  @DateTime() at: string;
  @Str() actor: string;
  @Enum(['created', 'claimed', 'status', 'reopened', 'callback-scheduled', 'called']) action: WorkItemHistoryEntry['action'];
  @Enum(STATUSES, { nullable: true }) fromStatus: WorkItemStatus | null;
  @Enum(STATUSES) toStatus: WorkItemStatus;
  @Str({ nullable: true }) note: string | null;
}

export class WorkItemDetailSchema extends WorkItemSchema implements WorkItemDetail {
  @ArrayOf(() => WorkItemHistoryEntrySchema) history: WorkItemHistoryEntry[];
}

export class WorkItemListSchema implements WorkItemList {
  @ArrayOf(() => WorkItemSchema) items: WorkItem[];
}

export class OnTimeRowSchema implements OnTimeRow {
  @Str() key: string;
  @Int() due: number;
  @Int() onTime: number;
  @Int() late: number;
  @Int() overdue: number;
  @Num({ nullable: true }) rate: number | null;
}

export class OnTimeReportSchema implements OnTimeReport {
  @Str({ format: 'date' }) from: string;
  @Str({ format: 'date', description: 'the day after the last day included' }) to: string;
  @ArrayOf(() => OnTimeRowSchema) byBusiness: OnTimeRow[];
  @ArrayOf(() => OnTimeRowSchema) byDesk: OnTimeRow[];
  @ArrayOf(() => OnTimeRowSchema) byTier: OnTimeRow[];
}
