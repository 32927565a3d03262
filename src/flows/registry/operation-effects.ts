import type { OperationEffect } from '../../../protocol/flow-definition';

/**
 * What a back-end operation does to the customer, in the words policies and QA checks use. The one place that
 * knows this: a new operation (or provisioning action) must be classified here so policies see it.
 * QA timelines show it (protocol/flow-definition.d.ts).
 */
export type { OperationEffect };
export const OPERATION_EFFECTS = ['check', 'query', 'change', 'notify', 'ticket'] as const satisfies readonly OperationEffect[];

const BY_OPERATION: Record<string, OperationEffect> = {
  checkIvrPassword: 'check',
  checkIdDocument: 'check',
  checkEntryMonth: 'check',
  queryAccount: 'query',
  executeSuspension: 'change',
  sendConfirmationSms: 'notify',
};

/** Provisioning actions that hand the case to people instead of changing the account. */
const TICKET_ACTIONS = new Set(['raise-work-order', 'transfer-desk']);

/**
 * The effect of one `invoke` (`src` + its static `input`). `provision` is a change unless its action
 * raises a ticket; an unknown or missing action also counts as a change, so a draft cannot dodge
 * change policies by misspelling it. Unknown operations have no effect (the loader reports them).
 */
export function effectOfOperation(src: string, input: unknown): OperationEffect | null {
  if (src === 'provision') {
    const action = input && typeof input === 'object' ? (input as Record<string, unknown>).action : undefined;
    return typeof action === 'string' && TICKET_ACTIONS.has(action) ? 'ticket' : 'change';
  }
  return BY_OPERATION[src] ?? null;
}

/** Operations that send the caller an SMS as their act (executeSuspension's confirmation). */
const SMS_OPERATIONS = new Set(['executeSuspension', 'sendConfirmationSms']);
/** Provisioning actions whose act is itself a message to the caller's phone. */
const SMS_ACTIONS = new Set(['push-apn-settings', 'send-call-details']);

/**
 * Whether an accepted reply of this invoke means an SMS went to the caller (or the back end took it to
 * send: a `provision` with an `sms` template). "No promise without its act" (../promises.ts) reads it.
 */
export function sendsSms(src: string, input: unknown): boolean {
  if (SMS_OPERATIONS.has(src)) return true;
  if (src !== 'provision' || !input || typeof input !== 'object') return false;
  const { sms, action } = input as Record<string, unknown>;
  return (typeof sms === 'string' && sms !== '') || (typeof action === 'string' && SMS_ACTIONS.has(action));
}
