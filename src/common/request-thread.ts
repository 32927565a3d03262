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

/** A request waiting its turn: the thread is sent one at a time, so each one's timeout is its own run's. */
interface Queued<Q, R> {
  body: Q;
  what: string;
  resolve: (result: R) => void;
  reject: (e: Error) => void;
}

interface Running<Q, R> extends Queued<Q, R> {
  id: number;
  worker: Worker;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived worker thread answering requests by id (the thread side: serveRequests in
 * thread-worker.ts). Started on the first request, started again on the next one should it die,
 * terminated by close(). The thread is sent one request at a time, the rest wait here in order: a
 * request's timeout counts its own run, not the runs queued before it (a read behind a long one used to
 * time out waiting, and its timeout then terminated the thread under the long one). A request that
 * fails or outlasts the timeout is rejected — with the thread's error (message and code) or a typed
 * AppError (INTERNAL) — so the caller never hangs; a stuck thread cannot be interrupted, so it is
 * terminated, and the requests waiting behind it go on on another. Idle, the thread does not keep the
 * process alive.
 */
export class RequestThread<Q, R, D> {
  private worker?: Worker;
  private readonly queue: Queued<Q, R>[] = [];
  private running?: Running<Q, R>;
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: RequestThreadOptions<D>) {}

  /** `what` names the request in a timeout's message ("a read", "enumerating the paths of …"). */
  request(body: Q, what: string): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', `${this.capitalName} is stopped (the server is shutting down)`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ body, what, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new AppError('INTERNAL', `${this.capitalName} stopped (the server is shutting down)`);
    for (const q of this.queue.splice(0)) q.reject(stopped);
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, stopped);
    await worker.terminate();
  }

  private get capitalName(): string {
    return this.options.name[0].toUpperCase() + this.options.name.slice(1);
  }

  /** Sends the next waiting request, if the thread has none: its timeout starts now. */
  private next(): void {
    if (this.running || this.closed) return;
    const queued = this.queue.shift();
    if (!queued) {
      // Idle, it must not keep the process alive (referenced only while a request is in flight).
      this.worker?.unref();
      return;
    }
    const worker = this.started();
    const id = ++this.nextId;
    const { timeoutMs } = this.options;
    const timer = setTimeout(() => {
      this.fail(worker, new AppError('INTERNAL', `${queued.what} took longer than ${timeoutMs} ms and was abandoned`));
      void worker.terminate();
    }, timeoutMs);
    timer.unref();
    this.running = { ...queued, id, worker, timer };
    worker.ref();
    worker.postMessage({ id, body: queued.body } satisfies ThreadRequest<Q>);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { spawn, file, workerData, name } = this.options;
    const worker = spawn ? spawn(workerData) : new Worker(file, { workerData });
    worker.on('message', (reply: ThreadReply<R>) => {
      const running = this.running;
      if (!running || running.worker !== worker || running.id !== reply.id) return; // given up on meanwhile
      this.running = undefined;
      clearTimeout(running.timer);
      if ('error' in reply) running.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else running.resolve(reply.result);
      this.next();
    });
    worker.on('error', (e) => this.fail(worker, new AppError('INTERNAL', `${this.capitalName} failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, new AppError('INTERNAL', `${this.capitalName} exited (${code}); ${name} starts again on the next request`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The thread is gone (or given up on): its request is rejected, and the ones waiting go on on another thread. */
  private fail(worker: Worker, error: AppError): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const running = this.running;
    if (running?.worker === worker) {
      this.running = undefined;
      clearTimeout(running.timer);
      running.reject(error);
    }
    this.next();
  }
}
