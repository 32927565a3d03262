import { type AccountQuery, ACCOUNT_QUERIES, type BackendPort, PROVISION_ACTIONS, type ProvisionAction } from '../../backend/backend.port';
import type { CustomerProfile } from '../../backend/customer';
import { factAt } from '../conditions';

export interface OperationRequest {
  callId: string;
  /** `${callId}:${seq}` of the view that started the step: the same on a retry after a crash. */
  idempotencyKey: string;
  customer: CustomerProfile;
  context: Record<string, unknown>;
  /** The invoke's static `input` from the flow file. */
  input: Record<string, unknown>;
}

export type Operation = (backend: BackendPort, request: OperationRequest) => Promise<unknown>;

const base = (r: OperationRequest) => ({ msisdn: r.customer.msisdn, idempotencyKey: r.idempotencyKey });

/** Resolves `{param: 'context.path'}` from the call's context (e.g. the service the agent chose). */
function paramsFrom(r: OperationRequest): Record<string, unknown> {
  const from = (r.input.paramsFrom ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(from).map(([name, path]) => [name, factAt(r.context, path) ?? null]));
}

/** Named back-end steps (XState actors) a flow file may invoke. Their replies are logged before they are applied. */
export const operationImplementations: Record<string, Operation> = {
  checkIvrPassword: (backend, r) => backend.checkIvrPassword(base(r)),

  checkIdDocument: (backend, r) => backend.checkIdDocument({ ...base(r), idLast4: String(r.context.idLast4 ?? '') }),

  checkEntryMonth: (backend, r) => backend.checkEntryMonth({ ...base(r), month: String(r.context.entryMonth ?? '') }),

  /** Provisioning then the confirmation SMS: a lost SMS must not turn an executed suspension into a failure. */
  executeSuspension: async (backend, r) => {
    const receipt = await backend.executeSuspension(base(r));
    const sms = await backend
      .sendSms({ ...base(r), template: 'suspension-confirmed' })
      .then((s) => ({ sent: true, messageId: s.messageId }))
      .catch((e: Error) => ({ sent: false, error: e.message }));
    return { ...receipt, sms };
  },

  /** `input: {what}` — a read from the support systems (bills, points, plan, services, roaming). */
  queryAccount: (backend, r) => {
    const what = String(r.input.what) as AccountQuery;
    if (!ACCOUNT_QUERIES.includes(what)) throw new Error(`queryAccount: unknown query '${what}'`);
    return backend.queryAccount({ ...base(r), what });
  },

  /** `input: {action, paramsFrom?, sms?}` — one business change, then (if `sms` names a template) its confirmation SMS. */
  provision: async (backend, r) => {
    const action = String(r.input.action) as ProvisionAction;
    if (!PROVISION_ACTIONS.includes(action)) throw new Error(`provision: unknown action '${action}'`);
    const receipt = await backend.provision({ ...base(r), action, params: paramsFrom(r) });
    if (typeof r.input.sms !== 'string') return receipt;
    const sms = await backend
      .sendSms({ ...base(r), template: r.input.sms })
      .then((s) => ({ sent: true, messageId: s.messageId }))
      .catch((e: Error) => ({ sent: false, error: e.message }));
    return { ...receipt, sms };
  },

  /** `input: {template}` — the closing confirmation SMS of the hang-up sub-blueprint. */
  sendConfirmationSms: (backend, r) => backend.sendSms({ ...base(r), template: String(r.input.template ?? 'call-summary') }),
};
