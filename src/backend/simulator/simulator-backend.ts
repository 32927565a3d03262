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

/** Keys remembered per kind (answers, requests per call, calls that failed once): recent calls only, so memory stays bounded. */
export const MAX_REMEMBERED_KEYS = 50_000;

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
    const { ivrPassword: _p, idLast4: _d, backend: _b, networkEntryMonth: _m, network: _n, balanceYuan: _y, dataPacks: _dp, ...profile } = c;
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
        roaming: {
          roamingOpen: services.includes('intl-roaming'),
          intlLongDistance: services.includes('intl-long-distance'),
          handsetMode: c.handsetMode,
        },
        balance: { balanceYuan: c.balanceYuan, arrearsYuan: c.arrearsYuan },
        'call-details': callDetails(c),
        'network-status': { ...c.network, dataServiceOpen: c.status === 'active' && !c.network.dataBarred, handsetMode: c.handsetMode },
        'data-usage': dataUsage(c),
      };
      return answers[request.what];
    });
  }

  provision(request: BackendRequest & { action: ProvisionAction; params: Record<string, unknown> }): Promise<ProvisionReceipt> {
    return this.once(`provision:${request.action}:${request.idempotencyKey}`, async () => {
      await this.behave(request, request.action);
      refuseInvalid(request.action, request.params);
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
      if (this.failedOnce.size > MAX_REMEMBERED_KEYS) this.failedOnce.delete(this.failedOnce.values().next().value!);
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

/** The top-up amounts the payment gateway takes, in yuan. */
export const TOP_UP_AMOUNTS = [30, 50, 100, 200, 500] as const;
/** Itemised records are kept for the current month and the five before it (the privacy rule of 详单). */
export const CALL_DETAIL_MONTHS = 6;
/** The months an itemised bill can be sent for, counted back from this one. */
export const CALL_DETAIL_PERIODS = ['this-month', 'last-month', '2-months-ago', '3-months-ago', '4-months-ago', '5-months-ago'] as const;

/** Business refusals a real system gives whatever its health: deterministic, so a flow's handling of them is testable. */
function refuseInvalid(action: ProvisionAction, params: Record<string, unknown>): void {
  if (action === 'top-up' && !(TOP_UP_AMOUNTS as readonly number[]).includes(Number(params.amountYuan))) {
    throw new BackendError('AMOUNT_NOT_ALLOWED', `top-up amount must be one of ${TOP_UP_AMOUNTS.join(', ')} yuan`);
  }
  if (action === 'send-call-details' && !(CALL_DETAIL_PERIODS as readonly unknown[]).includes(params.month)) {
    throw new BackendError('MONTH_NOT_KEPT', `itemised records are kept for the last ${CALL_DETAIL_MONTHS} months only`);
  }
}

/**
 * The itemised-bill summary per billed month, derived from the fixture's bills (deterministic): counts
 * and totals only, and the other parties' numbers masked — the full records go to the line itself.
 */
function callDetails(c: CustomerFixture): Record<string, unknown> {
  const months = c.bills.slice(0, CALL_DETAIL_MONTHS).map((b) => ({
    month: b.month,
    calls: Math.round(b.totalYuan / 2),
    minutes: Math.round(b.totalYuan * 3),
    dataMb: Math.round(b.totalYuan * 40),
    sms: Math.round(b.totalYuan / 5),
    topNumber: `${c.msisdn.slice(0, 3)}****${c.msisdn.slice(-4).split('').reverse().join('')}`,
  }));
  return { months, count: months.length };
}

/**
 * This month's data: each allowance (the plan's, add-on packs) with what is used and left of it, and
 * the totals; use beyond an allowance is billed per MB (`overMb`), so nothing is left of that one.
 */
function dataUsage(c: CustomerFixture): Record<string, unknown> {
  const packs = c.dataPacks.map((p) => ({
    name: structuredClone(p.name),
    allowanceMb: p.allowanceMb,
    usedMb: p.usedMb,
    remainingMb: Math.max(0, p.allowanceMb - p.usedMb),
  }));
  const sum = (f: (p: (typeof packs)[number]) => number) => packs.reduce((n, p) => n + f(p), 0);
  return {
    packs,
    allowanceMb: sum((p) => p.allowanceMb),
    usedMb: sum((p) => p.usedMb),
    remainingMb: sum((p) => p.remainingMb),
    overMb: sum((p) => Math.max(0, p.usedMb - p.allowanceMb)),
  };
}
