import type { LocalizedText } from './flow-definition';
import type { WorkItemStatus, WorkItemType } from './work-items';

/** The caller's profile as the back end gives it (the simulator's lists are in src/backend/customer.ts). */
export type Brand = 'gotone' | 'easyown' | 'mzone';
export type Tier = 'standard' | 'gold' | 'diamond';
export type LineStatus = 'active' | 'suspended' | 'arrears-suspended' | 'cancelled';
export type HandsetMode = '2G' | '3G' | '4G' | '5G';

/**
 * A name the support systems give in both languages (a plan, a bill item), shown in the screen's
 * language; a plain string (older back ends, replies logged before) is shown as it is.
 */
export type LocalizedName = string | LocalizedText;

export interface BillItem {
  name: LocalizedName;
  yuan: number;
}

export interface MonthlyBill {
  month: string;
  totalYuan: number;
  items: BillItem[];
}

export interface PlanInfo {
  id: string;
  name: LocalizedName;
  monthlyYuan: number;
}

/** What the agent screen may know about a caller: never their password or document digits. */
export interface CustomerProfile {
  msisdn: string;
  name: string;
  brand: Brand;
  tier: Tier;
  region: string;
  status: LineStatus;
  arrearsYuan: number;
  realNameVerified: boolean;
  services: string[];
  /** Current tariff plan. */
  plan: PlanInfo;
  /** Loyalty points balance. */
  points: number;
  /** Recent monthly bills, newest first. */
  bills: MonthlyBill[];
  /** What the handset supports (roaming needs a matching network mode). */
  handsetMode: HandsetMode;
  /** Whether the line was opened with an ID card (password reset by document) or not (by network-entry month). */
  openedWithIdCard: boolean;
}

/** One check of a flow's rule, judged for this customer; `reason` (the filled fail reason) only when it failed. */
export interface CustomerRuleCheck {
  id: string;
  label: LocalizedText;
  passed: boolean;
  reason: LocalizedText | null;
}

/** One of the caller's earlier calls, as the screen pop shows it. */
export interface PastCall {
  callId: string;
  startedAt: string;
  /** The agent's username. */
  agent: string;
  status: 'active' | 'completed' | 'abandoned';
  outcome: string | null;
  /** The businesses the call went through, in order, with how each ended. */
  businesses: { flowId: string; outcome: string | null }[];
}

/** A work item of the caller's (docs/FOLLOW-UP.md): still to do, or finished within the FCR window. */
export interface CallerWorkItem {
  id: number;
  type: WorkItemType;
  business: string | null;
  status: WorkItemStatus;
  receiptId: string | null;
  dueAt: string;
  overdue: boolean;
}

/** The caller's contact history at the screen pop (issue 20 item 3). */
export interface ContactHistory {
  /** Their last ended calls (at most 5 within 90 days), newest first. */
  recentCalls: PastCall[];
  /** Open items first (overdue first), then ones finished within the FCR window. */
  items: CallerWorkItem[];
  /** The newest ended call within the FCR window (METRICS_FCR_DAYS): this call is a repeat contact about its businesses. */
  repeatOf: { callId: string; startedAt: string; flowIds: string[]; fcrDays: number } | null;
}

/** `GET /api/customers/:msisdn`, the screen pop: who is calling, how every flow's rules judge them, and their history. */
export interface CustomerLookup {
  customer: CustomerProfile;
  flows: { flowId: string; rules: { id: string; title: LocalizedText; passed: boolean; checks: CustomerRuleCheck[] }[] }[];
  history: ContactHistory;
}

/** One subscriber profile a person opened through `GET /api/customers/:msisdn` (`GET /api/profile-reads`, supervisors). */
export interface ProfileRead {
  id: number;
  at: string;
  username: string;
  role: string;
  msisdn: string;
  /** Whether it was for a call: the reader had one with that number in progress, or started one within 10 minutes after. */
  forCall: boolean;
}

/** `POST /api/erasures` body: erase a subscriber's personal data from the calls log (supervisors). */
export interface ErasureRequest {
  msisdn: string;
}

/**
 * One erasure as recorded (a row of `GET /api/erasures`): who asked, when, the number's pseudonym
 * (never the number) and how many ended calls had their payload keys destroyed.
 */
export interface ErasureRecord {
  id: number;
  at: string;
  username: string;
  pseudonym: string;
  calls: number;
}

/** The reply to `POST /api/erasures`: calls still in progress are left alone (`activeCalls`: erase again once they end). */
export interface Erasure extends ErasureRecord {
  activeCalls: number;
}
