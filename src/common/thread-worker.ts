/**
 * The thread side of RequestThread (request-thread.ts): answers each request by its id with the
 * handler's result or what it threw. Runs at the lowest priority: on a box with few cores the work
 * still competes with the main thread for a CPU, and must yield to the agents' calls (on Linux a
 * nice value is per thread and pid 0 is this thread only; elsewhere, or not permitted, it runs at
 * normal priority).
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { ThreadReply, ThreadRequest } from './request-thread';

export function serveRequests<Q, R>(handle: (body: Q) => R | Promise<R>): void {
  const port = parentPort!;
  try {
    setPriority(19);
  } catch {
    /* normal priority */
  }
  port.on('message', (m: ThreadRequest<Q>) => {
    void (async () => {
      let reply: ThreadReply<R>;
      try {
        reply = { id: m.id, result: await handle(m.body) };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        reply = { id: m.id, error: { message: (e as Error).message, code: typeof code === 'string' ? code : undefined } };
      }
      port.postMessage(reply);
    })();
  });
}
