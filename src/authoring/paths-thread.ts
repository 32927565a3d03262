import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CustomerProfile } from '../backend/customer';
import { AppError } from '../common/app-error';
import type { PathsReply, PathsRequest, PathsWorkerData } from './flow-paths.worker';
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
 * Runs path enumerations on one long-lived worker thread, started on the first request, started
 * again on the next one should it die, terminated by close(). A job that fails, or takes longer
 * than the timeout, is rejected with a typed AppError (INTERNAL) — the caller never hangs.
 * Where no built worker exists and none is given (unit tests under Jest), it runs in-process.
 */
export class PathsThread {
  private worker?: Worker;
  private readonly waiting = new Map<number, { resolve: (r: PathsResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  private profiles: Promise<CustomerProfile[]> | null = null;
  private closed = false;

  constructor(
    private readonly customersFile: string,
    private readonly options: PathsThreadOptions = {},
  ) {}

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
    const worker = this.started();
    const id = ++this.nextId;
    return new Promise<PathsResult>((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        // A thread busy past the timeout cannot be interrupted: it is replaced by the next request.
        this.fail(worker, new AppError('INTERNAL', `Enumerating the paths of ${job.flowId} version ${job.version} took longer than ${timeoutMs} ms`));
        void worker.terminate();
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, job } satisfies PathsRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new AppError('INTERNAL', 'The paths worker stopped (the server is shutting down)'));
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const workerData: PathsWorkerData = { customersFile: this.customersFile };
    const worker = this.options.spawn ? this.options.spawn(workerData) : new Worker(PATHS_WORKER_FILE, { workerData });
    worker.on('message', (reply: PathsReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return; // timed out meanwhile
      this.waiting.delete(reply.id);
      clearTimeout(w.timer);
      if (!this.waiting.size) worker.unref();
      if ('error' in reply) w.reject(new AppError('INTERNAL', `Enumerating the paths failed: ${reply.error}`));
      else w.resolve(reply.result);
    });
    worker.on('error', (e) => this.fail(worker, new AppError('INTERNAL', `The paths worker failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, new AppError('INTERNAL', `The paths worker exited (${code})`)));
    // Idle, it must not keep the process alive (referenced only while a job is in flight).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The worker is gone (or given up on): every job on it is rejected, and the next one starts another. */
  private fail(worker: Worker, error: AppError): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.waiting.clear();
  }
}
