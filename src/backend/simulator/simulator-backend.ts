import {
  type AccountQuery,
  BackendError,
  BackendPort,
  BackendRequest,
  CheckResult,
  type ProvisionAction,
  type ProvisionReceipt,
  SmsReceipt,
  SuspensionReceipt,
} from '../backend.port';
import type { CustomerProfile } from '../customer';
import { behaviourFor, type CustomerFixture, type SimulatedOperation } from './customer-fixtures';

const MAX_REMEMBERED_KEYS = 50_000;

/**
 * The embedded back end: behaves per customer as its fixture says (`backend`: ok | error |
 * error-once | timeout (never answers) | slow (answers after a latency spike), or one of those per operation). Idempotent by key like a real provisioning system: the same key gets
 * the same answer, and a suspension is executed at most once per key. Subscriber records are
 * never changed by a call, so the demo customers stay reusable across calls and test runs.
 */
export class SimulatorBackend extends BackendPort {
  private readonly customers: Map<string, CustomerFixture>;
  private readonly results = new Map<string, Promise<unknown>>();
  private readonly failedOnce = new Set<string>();
  /** Requests per operation per call, so a fixture can script the 1st, 2nd… answer. */
  private readonly requestsSeen = new Map<string, number>();

  constructor(
    fixtures: CustomerFixture[],
    private readonly latencyMs: number,
    /** How long a `slow` back end takes to answer. */
    private readonly spikeMs = 3_000,
  ) {
    super();
    this.customers = new Map(fixtures.map((c) => [c.msisdn, c]));
  }

  async lookupCustomer(msisdn: string): Promise<CustomerProfile | null> {
    await this.delay();
    const c = this.customers.get(msisdn);
    if (!c) return null;
    const { ivrPassword: _p, idLast4: _d, backend: _b, networkEntryMonth: _m, ...profile } = c;
    return structuredClone({ ...profile });
  }

  checkIvrPassword(request: BackendRequest): Promise<CheckResult> {
    return this.once(`ivr:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'ivr-check');
      return { ok: this.require(request.msisdn).ivrPassword === 'pass' };
    });
  }

  checkIdDocument(request: BackendRequest & { idLast4: string }): Promise<CheckResult> {
    return this.once(`id:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'id-check');
      return { ok: this.require(request.msisdn).idLast4 === request.idLast4 };
    });
  }

  executeSuspension(request: BackendRequest): Promise<SuspensionReceipt> {
    return this.once(`suspend:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'suspend');
      return { ticketId: `SR-${request.idempotencyKey}`, effectiveAt: new Date().toISOString() };
    });
  }

  sendSms(request: BackendRequest & { template: string }): Promise<SmsReceipt> {
    return this.once(`sms:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'sms');
      return { messageId: `SMS-${request.idempotencyKey}` };
    });
  }

  checkEntryMonth(request: BackendRequest & { month: string }): Promise<CheckResult> {
    return this.once(`entry:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'entry-month-check');
      return { ok: this.require(request.msisdn).networkEntryMonth === request.month };
    });
  }

  queryAccount(request: BackendRequest & { what: AccountQuery }): Promise<Record<string, unknown>> {
    return this.once(`query:${request.idempotencyKey}`, async () => {
      await this.behave(request, 'query');
      const c = this.require(request.msisdn);
      const services = [...c.services];
      const answers: Record<AccountQuery, Record<string, unknown>> = {
        bills: { bills: structuredClone(c.bills), latest: c.bills[0] ?? null },
        points: { points: c.points },
        plan: { plan: { ...c.plan } },
        services: { services, count: services.length },
        roaming: { roamingOpen: services.includes('intl-roaming'), intlLongDistance: services.includes('intl-long-distance'), handsetMode: c.handsetMode },
      };
      return answers[request.what];
    });
  }

  provision(request: BackendRequest & { action: ProvisionAction; params: Record<string, unknown> }): Promise<ProvisionReceipt> {
    return this.once(`provision:${request.action}:${request.idempotencyKey}`, async () => {
      await this.behave(request, request.action);
      // A change inside a plan takes effect next month (BLUEPRINTS §4); everything else at once.
      const effective = request.action === 'change-plan' || request.action === 'change-brand' ? 'next-month' : 'now';
      return { receiptId: `${request.action.toUpperCase()}-${request.idempotencyKey}`, action: request.action, effective };
    });
  }

  private async behave(request: BackendRequest, operation: SimulatedOperation): Promise<void> {
    const callKey = `${operation}:${request.idempotencyKey.split(':')[0]}`;
    const nth = this.requestsSeen.get(callKey) ?? 0;
    this.requestsSeen.set(callKey, nth + 1);
    if (this.requestsSeen.size > MAX_REMEMBERED_KEYS) this.requestsSeen.delete(this.requestsSeen.keys().next().value!);
    const behaviour = behaviourFor(this.require(request.msisdn).backend, operation, nth);
    if (behaviour === 'timeout') return new Promise<void>(() => undefined);
    await this.delay(behaviour === 'slow' ? this.spikeMs : this.latencyMs);
    if (behaviour === 'error') throw new BackendError('BOSS_UNAVAILABLE', 'BOSS billing did not accept the request');
    if (behaviour === 'error-once' && !this.failedOnce.has(callKey)) {
      this.failedOnce.add(callKey);
      throw new BackendError('BOSS_UNAVAILABLE', 'BOSS billing did not accept the request');
    }
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let result = this.results.get(key) as Promise<T> | undefined;
    if (!result) {
      result = run();
      this.results.set(key, result);
      // Remember recent keys only: a retry comes within a call, not days later.
      if (this.results.size > MAX_REMEMBERED_KEYS) this.results.delete(this.results.keys().next().value!);
    }
    return result;
  }

  private require(msisdn: string): CustomerFixture {
    const c = this.customers.get(msisdn);
    if (!c) throw new BackendError('UNKNOWN_SUBSCRIBER', `No subscriber ${msisdn}`);
    return c;
  }

  private delay(ms = this.latencyMs): Promise<void> {
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }
}
