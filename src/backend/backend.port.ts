import type { CustomerProfile } from './customer';

/** Every call to a back-end system carries the key that makes a retry of the same step safe. */
export interface BackendRequest {
  msisdn: string;
  idempotencyKey: string;
}

export interface CheckResult {
  ok: boolean;
}

export interface SuspensionReceipt {
  ticketId: string;
  effectiveAt: string;
}

export interface SmsReceipt {
  messageId: string;
}

/** What a query step may ask the support systems for. */
export const ACCOUNT_QUERIES = ['bills', 'points', 'plan', 'services', 'roaming', 'balance', 'call-details', 'network-status', 'data-usage'] as const;
export type AccountQuery = (typeof ACCOUNT_QUERIES)[number];

/** Every business change the hotline can make, as one provisioning request to CSP/BOSS. */
export const PROVISION_ACTIONS = [
  'resume',
  'unsubscribe',
  'subscribe',
  'open-roaming',
  'open-intl-long-distance',
  'change-plan',
  'change-brand',
  'redeem-points',
  'reset-password',
  'open-product',
  'raise-work-order',
  'transfer-desk',
  'customise-bill',
  'cross-region-service',
  'replace-sim',
  'order-phone',
  'top-up',
  'send-call-details',
  'push-apn-settings',
] as const;
export type ProvisionAction = (typeof PROVISION_ACTIONS)[number];

export interface ProvisionReceipt {
  receiptId: string;
  action: ProvisionAction;
  /** When it takes effect: now, or e.g. the first of next month for a change inside a plan. */
  effective: 'now' | 'next-month';
}

/**
 * A back-end system's refusal: an answer a flow handles (its error path), never a fault in laihua,
 * so it carries no stack. Capturing one walks the whole async stack and cost ~1 % of the main
 * thread under load (docs/PERFORMANCE.md); nothing reads it — the call logs the code and message.
 */
export class BackendError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.name = 'BackendError';
  }
}

/**
 * The support lane: CSP agent system, IVR platform, BOSS billing. The embedded simulator is the
 * default adapter; a real deployment provides its own implementation of this class.
 */
export abstract class BackendPort {
  abstract lookupCustomer(msisdn: string): Promise<CustomerProfile | null>;
  abstract checkIvrPassword(request: BackendRequest): Promise<CheckResult>;
  abstract checkIdDocument(request: BackendRequest & { idLast4: string }): Promise<CheckResult>;
  abstract executeSuspension(request: BackendRequest): Promise<SuspensionReceipt>;
  abstract sendSms(request: BackendRequest & { template: string }): Promise<SmsReceipt>;
  abstract checkEntryMonth(request: BackendRequest & { month: string }): Promise<CheckResult>;
  abstract queryAccount(request: BackendRequest & { what: AccountQuery }): Promise<Record<string, unknown>>;
  abstract provision(request: BackendRequest & { action: ProvisionAction; params: Record<string, unknown> }): Promise<ProvisionReceipt>;
}
