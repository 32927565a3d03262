import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import buildForE2e from './global-setup';
import { PG_URL_ENV } from './pg-database';
import { startPgCluster } from './pg-cluster';

/**
 * Jest globalSetup for the e2e-pg project: the build (as for e2e), Debian's postgresql when
 * missing (ensure-postgres.sh), and a throwaway cluster in a temp dir on a free port. Its URL is
 * handed to the specs (and the servers they start) in LAIHUA_TEST_PG_URL; globalTeardown stops it.
 */
export default async function globalSetup(): Promise<void> {
  const ensure = spawnSync('bash', [path.join(__dirname, 'ensure-postgres.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (ensure.status !== 0) throw new Error(`e2e-pg: ensure-postgres.sh failed\n${ensure.stdout}${ensure.stderr}`);
  buildForE2e();
  const cluster = await startPgCluster();
  (globalThis as { laihuaPgClusterDir?: string }).laihuaPgClusterDir = cluster.dir;
  process.env[PG_URL_ENV] = cluster.url;
  if (process.env.E2E_VERBOSE) process.stderr.write(`\n[e2e-pg] PostgreSQL cluster on port ${cluster.port} in ${cluster.dir}\n`);
}
