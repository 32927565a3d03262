import { stopPgCluster } from './pg-cluster';

/** Jest globalTeardown for the e2e-pg project: stops the throwaway cluster and removes its directory. */
export default function globalTeardown(): void {
  const dir = (globalThis as { laihuaPgClusterDir?: string }).laihuaPgClusterDir;
  if (dir) stopPgCluster(dir);
}
