import type { WorkItemPriority, WorkItemType } from '../../protocol/work-items';
import type { CallTrace } from '../calls/step';
import { dueAt, ruleFor, type ServiceLevels } from './service-levels';

/** An item to insert, keyed by (callId, sourceSeq): raising it again from the same call changes nothing. */
export interface NewWorkItem {
  type: WorkItemType;
  callId: string;
  sourceSeq: number;
  flowId: string;
  stepId: string;
  business: string;
  callerNumber: string;
  customerTier: string | null;
  receiptId: string | null;
  desk: string;
  rule: string;
  priority: WorkItemPriority;
  createdAt: string;
  dueAt: string;
}

/** Provisioning actions whose accepted reply hands the case to people: each becomes a tracked item. */
const RAISED_BY: Record<string, WorkItemType> = { 'raise-work-order': 'work-order', 'transfer-desk': 'transfer' };
/** A business that ended promising the caller someone will follow it up by hand. */
const FOLLOW_UP_OUTCOME = 'manual-follow-up';

const record = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {});

/**
 * The work items an ended call raised, from its trace (pure: the end-of-call work runs it in the
 * transaction that records the call's facts, so each item is written exactly once, and a replayed or
 * recovered call — same log, same trace — raises the same keys). An accepted `raise-work-order` or
 * `transfer-desk` reply is an item keyed by the reply's seq; a business that ended in
 * `manual-follow-up` is a follow-up keyed by its final step's seq. Refused replies raise nothing: the
 * flow said so to the caller (src/flows/promises.ts).
 */
export function workItemsOf(trace: CallTrace, policy: ServiceLevels): NewWorkItem[] {
  if (trace.notReplayable) return [];
  const tier = typeof trace.customer.tier === 'string' ? trace.customer.tier : null;
  const items: NewWorkItem[] = [];
  const add = (type: WorkItemType, sourceSeq: number, flowId: string, stepId: string, at: string, receiptId: string | null) => {
    const rule = ruleFor(policy, { type, business: flowId, tier });
    items.push({
      type,
      callId: trace.callId,
      sourceSeq,
      flowId,
      stepId,
      business: flowId,
      callerNumber: trace.callerNumber,
      customerTier: tier,
      receiptId,
      desk: policy.desks[type],
      rule: rule.id,
      priority: rule.priority,
      createdAt: at,
      dueAt: dueAt(rule, at),
    });
  };
  for (const entry of trace.entries) {
    const reply = entry.action?.type === 'backend.reply' ? entry.action.reply : undefined;
    if (!reply?.ok || reply.operation !== 'provision') continue;
    const output = record(reply.output);
    const type = RAISED_BY[String(output.action)];
    if (type) add(type, entry.action!.seq, entry.flowId, entry.stepId, entry.action!.at, typeof output.receiptId === 'string' ? output.receiptId : null);
  }
  trace.businesses.forEach((business, segment) => {
    if (business.outcome !== FOLLOW_UP_OUTCOME) return;
    const end = trace.entries.find((e) => e.segment === segment && e.final && e.flowId === business.flowId);
    if (end) add('follow-up', end.seq, end.flowId, end.stepId, end.enteredAt, null);
  });
  return items;
}
