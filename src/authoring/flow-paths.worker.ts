/**
 * The paths worker thread (started by PathsThread, paths-thread.ts): enumerates a version's paths
 * off the main thread, so that an uncached GET …/paths (about a second for a large flow) never holds
 * up the agents' calls (issue 17 item 2). Everything arrives as plain data (PathsJob); the customer
 * profiles are loaded once per thread.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { CustomerProfile } from '../backend/customer';
import { customerProfiles, type PathsJob, type PathsResult, versionPaths } from './version-paths';

export interface PathsWorkerData {
  customersFile: string;
}

/** What the main thread sends: one job, answered by its id. */
export interface PathsRequest {
  id: number;
  job: PathsJob;
}

/** The worker's answer to a request: the result, or the message of what threw. */
export type PathsReply = { id: number; result: PathsResult } | { id: number; error: string };

function main(): void {
  const port = parentPort!;
  const { customersFile } = workerData as PathsWorkerData;
  // On a box with few cores the enumeration still competes with the main thread for a CPU: at the
  // lowest priority it yields to the agents' calls. On Linux a nice value is per thread, and pid 0
  // is this thread only; elsewhere (or not permitted) it simply runs at normal priority.
  try {
    setPriority(19);
  } catch {
    /* normal priority */
  }
  let profiles: Promise<CustomerProfile[]> | null = null;
  port.on('message', (m: PathsRequest | 'stop') => {
    if (m === 'stop') return port.close();
    void (async () => {
      let reply: PathsReply;
      try {
        // A customers file that fails to load is tried again on the next request, not kept as a rejection.
        profiles ??= customerProfiles(customersFile).catch((e: unknown) => {
          profiles = null;
          throw e;
        });
        reply = { id: m.id, result: versionPaths(m.job, await profiles) };
      } catch (e) {
        reply = { id: m.id, error: (e as Error).message };
      }
      port.postMessage(reply);
    })();
  });
}

main();
