import { Worker } from 'node:worker_threads';
import { AppError } from './app-error';

/** main → thread: one request, answered by its id. */
export interface ThreadRequest<Q> {
  id: number;
  body: Q;
}

/** thread → main: the result, or what threw (its message and, for a driver, its code). */
export type ThreadReply<R> = { id: number; result: R } | { id: number; error: { message: string; code?: string } };

export interface RequestThreadOptions<D> {
  /** How the thread is named in errors: "the read thread", "the paths worker". */
  name: string;
  /** The built worker script to start (when no `spawn` is given). */
  file: string;
  workerData: D;
  /** How long one request may take before the thread is presumed stuck, terminated and replaced. */
  timeoutMs: number;
  /** Starts the thread (tests start the TypeScript through a loader); default: `file`. */
  spawn?: (workerData: D) => Worker;
}

interface Waiting<R> {
  resolve: (result: R) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived worker thread answering requests by id (the thread side: serveRequests in
 * thread-worker.ts). Started on the first request, started again on the next one should it die,
 * terminated by close(). A request that fails or outlasts the timeout is rejected — with the thread's
 * error (message and code) or a typed AppError (INTERNAL) — so the caller never hangs; a stuck thread
 * cannot be interrupted, so it is terminated and the next request starts another. Idle, the thread
 * does not keep the process alive.
 */
export class RequestThread<Q, R, D> {
  private worker?: Worker;
  private readonly waiting = new Map<number, Waiting<R>>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: RequestThreadOptions<D>) {}

  /** `what` names the request in a timeout's message ("a read", "enumerating the paths of …"). */
  request(body: Q, what: string): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', `${this.capitalName} is stopped (the server is shutting down)`));
    const worker = this.started();
    const id = ++this.nextId;
    return new Promise<R>((resolve, reject) => {
      const { timeoutMs } = this.options;
      const timer = setTimeout(() => {
        this.fail(worker, new AppError('INTERNAL', `${what} took longer than ${timeoutMs} ms and was abandoned`));
        void worker.terminate();
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, body } satisfies ThreadRequest<Q>);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new AppError('INTERNAL', `${this.capitalName} stopped (the server is shutting down)`));
    await worker.terminate();
  }

  private get capitalName(): string {
    return this.options.name[0].toUpperCase() + this.options.name.slice(1);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { spawn, file, workerData, name } = this.options;
    const worker = spawn ? spawn(workerData) : new Worker(file, { workerData });
    worker.on('message', (reply: ThreadReply<R>) => {
      const w = this.waiting.get(reply.id);
      if (!w) return; // timed out meanwhile
      this.waiting.delete(reply.id);
      clearTimeout(w.timer);
      if (!this.waiting.size) worker.unref();
      if ('error' in reply) w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else w.resolve(reply.result);
    });
    worker.on('error', (e) => this.fail(worker, new AppError('INTERNAL', `${this.capitalName} failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, new AppError('INTERNAL', `${this.capitalName} exited (${code}); ${name} starts again on the next request`)));
    // Idle, it must not keep the process alive (referenced only while a request is in flight).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The thread is gone (or given up on): every request on it is rejected, and the next one starts another. */
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
