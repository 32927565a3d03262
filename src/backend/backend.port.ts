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

export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
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
}
