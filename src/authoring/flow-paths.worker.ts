/**
 * The paths worker thread (started by PathsThread, paths-thread.ts): enumerates a version's paths
 * off the main thread, so that an uncached GET …/paths (about a second for a large flow) never holds
 * up the agents' calls (issue 17 item 2). Everything arrives as plain data (PathsJob); the customer
 * profiles are loaded once per thread.
 */
import { workerData } from 'node:worker_threads';
import type { CustomerProfile } from '../backend/customer';
import { serveRequests } from '../common/thread-worker';
import { customerProfiles, type PathsJob, type PathsResult, versionPaths } from './version-paths';

export interface PathsWorkerData {
  customersFile: string;
}

function main(): void {
  const { customersFile } = workerData as PathsWorkerData;
  let profiles: Promise<CustomerProfile[]> | null = null;
  serveRequests<PathsJob, PathsResult>(async (job) => {
    // A customers file that fails to load is tried again on the next request, not kept as a rejection.
    profiles ??= customerProfiles(customersFile).catch((e: unknown) => {
      profiles = null;
      throw e;
    });
    return versionPaths(job, await profiles);
  });
}

main();
