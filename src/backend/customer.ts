export const BRANDS = ['gotone', 'easyown', 'mzone'] as const;
export const TIERS = ['standard', 'gold', 'diamond'] as const;
export const LINE_STATUSES = ['active', 'suspended', 'arrears-suspended', 'cancelled'] as const;
export const BACKEND_BEHAVIOURS = ['ok', 'error', 'error-once', 'timeout'] as const;

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
}
