import type { Brand, HandsetMode, LineStatus, Tier } from '../../protocol/customers';

/** The caller's profile is part of the protocol (protocol/customers.d.ts); these are its values, for the simulator's fixtures. */
export type { CustomerProfile } from '../../protocol/customers';

export const BRANDS = ['gotone', 'easyown', 'mzone'] as const satisfies readonly Brand[];
export const TIERS = ['standard', 'gold', 'diamond'] as const satisfies readonly Tier[];
export const LINE_STATUSES = ['active', 'suspended', 'arrears-suspended', 'cancelled'] as const satisfies readonly LineStatus[];
/** `timeout`: never answers (a hung back end); `slow`: answers, after a latency spike of SIM_SPIKE_MS. */
export const BACKEND_BEHAVIOURS = ['ok', 'error', 'error-once', 'timeout', 'slow'] as const;
export type BackendBehaviour = (typeof BACKEND_BEHAVIOURS)[number];
export const HANDSET_MODES = ['2G', '3G', '4G', '5G'] as const satisfies readonly HandsetMode[];
