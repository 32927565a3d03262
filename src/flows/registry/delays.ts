import type { AppConfig } from '../../config/app-config';

/** Named delays a flow's `after` may use. The engine runs its own timers for them and logs each expiry. */
export function delayImplementations(config: Pick<AppConfig, 'BACKEND_TIMEOUT_MS'>): Record<string, number> {
  return { backendTimeout: config.BACKEND_TIMEOUT_MS };
}
