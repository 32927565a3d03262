export const BRANDS = ['gotone', 'easyown', 'mzone'] as const;
export const TIERS = ['standard', 'gold', 'diamond'] as const;
export const LINE_STATUSES = ['active', 'suspended', 'arrears-suspended', 'cancelled'] as const;
/** `timeout`: never answers (a hung back end); `slow`: answers, after a latency spike of SIM_SPIKE_MS. */
export const BACKEND_BEHAVIOURS = ['ok', 'error', 'error-once', 'timeout', 'slow'] as const;
export type BackendBehaviour = (typeof BACKEND_BEHAVIOURS)[number];
export const HANDSET_MODES = ['2G', '3G', '4G', '5G'] as const;

export interface BillItem {
  name: string;
  yuan: number;
}

export interface MonthlyBill {
  month: string;
  totalYuan: number;
  items: BillItem[];
}

export interface PlanInfo {
  id: string;
  name: string;
  monthlyYuan: number;
}

/** What the agent screen may know about a caller: never their password or document digits. */
export interface CustomerProfile {
  msisdn: string;
  name: string;
  brand: (typeof BRANDS)[number];
  tier: (typeof TIERS)[number];
  region: string;
  status: (typeof LINE_STATUSES)[number];
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
  handsetMode: (typeof HANDSET_MODES)[number];
  /** Whether the line was opened with an ID card (password reset by document) or not (by network-entry month). */
  openedWithIdCard: boolean;
}
