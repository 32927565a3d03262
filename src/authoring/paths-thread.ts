import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { CustomerProfile } from '../backend/customer';
import { AppError } from '../common/app-error';
import { RequestThread } from '../common/request-thread';
import type { PathsWorkerData } from './flow-paths.worker';
import { customerProfiles, type PathsJob, type PathsResult, versionPaths } from './version-paths';

/** The built worker script: next to this file in dist/ (under Jest the TypeScript has no .js beside it). */
export const PATHS_WORKER_FILE = path.join(__dirname, 'flow-paths.worker.js');

/** Longer than any enumeration maxPaths allows (about a second for the largest flow), far shorter than a client gives up. */
const DEFAULT_TIMEOUT_MS = 30_000;

export interface PathsThreadOptions {
  /** How long one enumeration may take before the thread is presumed stuck and terminated. */
  timeoutMs?: number;
  /** Starts the worker (tests start the TypeScript through a loader); default: PATHS_WORKER_FILE. */
  spawn?: (workerData: PathsWorkerData) => Worker;
}

/**
 * Runs path enumerations on one long-lived worker thread (RequestThread: started on the first
 * request, started again on the next one should it die, terminated by close()). A job that fails, or
 * takes longer than the timeout, is rejected with a typed AppError (INTERNAL) — the caller never hangs.
 * Where no built worker exists and none is given (unit tests under Jest), it runs in-process.
 */
export class PathsThread {
  private readonly thread: RequestThread<PathsJob, PathsResult, PathsWorkerData>;
  private profiles: Promise<CustomerProfile[]> | null = null;
  private closed = false;

  constructor(
    private readonly customersFile: string,
    private readonly options: PathsThreadOptions = {},
  ) {
    this.thread = new RequestThread({
      name: 'the paths worker',
      file: PATHS_WORKER_FILE,
      workerData: { customersFile },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      spawn: options.spawn,
    });
  }

  /** True when jobs run on a worker thread rather than in-process. */
  get threaded(): boolean {
    return !!this.options.spawn || existsSync(PATHS_WORKER_FILE);
  }

  run(job: PathsJob): Promise<PathsResult> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The paths worker is stopped (the server is shutting down)'));
    if (!this.threaded) {
      this.profiles ??= customerProfiles(this.customersFile);
      return this.profiles.then((profiles) => versionPaths(job, profiles));
    }
    return this.thread.request(job, `Enumerating the paths of ${job.flowId} version ${job.version}`).catch((e: Error) => {
      throw e instanceof AppError ? e : new AppError('INTERNAL', `Enumerating the paths failed: ${e.message}`);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return this.thread.close();
  }
}
