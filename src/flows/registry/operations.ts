import type { BackendPort } from '../../backend/backend.port';
import type { CustomerProfile } from '../../backend/customer';

export interface OperationRequest {
  callId: string;
  /** `${callId}:${seq}` of the view that started the step: the same on a retry after a crash. */
  idempotencyKey: string;
  customer: CustomerProfile;
  context: Record<string, unknown>;
  input: Record<string, unknown>;
}

export type Operation = (backend: BackendPort, request: OperationRequest) => Promise<unknown>;

/** Named back-end steps (XState actors) a flow file may invoke. Their replies are logged before they are applied. */
export const operationImplementations: Record<string, Operation> = {
  checkIvrPassword: (backend, r) => backend.checkIvrPassword({ msisdn: r.customer.msisdn, idempotencyKey: r.idempotencyKey }),

  checkIdDocument: (backend, r) =>
    backend.checkIdDocument({
      msisdn: r.customer.msisdn,
      idempotencyKey: r.idempotencyKey,
      idLast4: String(r.context.idLast4 ?? ''),
    }),

  /** Provisioning then the confirmation SMS: a lost SMS must not turn an executed suspension into a failure. */
  executeSuspension: async (backend, r) => {
    const receipt = await backend.executeSuspension({ msisdn: r.customer.msisdn, idempotencyKey: r.idempotencyKey });
    const sms = await backend
      .sendSms({ msisdn: r.customer.msisdn, idempotencyKey: r.idempotencyKey, template: 'suspension-confirmed' })
      .then((s) => ({ sent: true, messageId: s.messageId }))
      .catch((e: Error) => ({ sent: false, error: e.message }));
    return { ...receipt, sms };
  },
};
