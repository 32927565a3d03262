import { http } from './client';
import { sleep } from './poll';

/** GET /api/health's end-of-call backlog (src/decision-log/call-outbox.ts), with when it was read. */
export interface EndOfCallBacklog {
  pending: number;
  oldestAgeMs: number;
  retrying: number;
  readAt: string;
}

/**
 * The end-of-call backlog as read after this was asked. A poll that finds the server's read thread
 * busy for over a second is answered with the last backlog read before (its `readAt` says when,
 * src/common/fresh-within.ts): on a loaded test machine that could be one from before the calls a
 * test waits for had ended, so such an answer is asked again, never taken as the state now.
 */
export async function endOfCallBacklog(baseUrl: string, timeoutMs = 30_000): Promise<EndOfCallBacklog> {
  const asked = Date.now();
  for (;;) {
    const res = await http(baseUrl, 'GET', '/api/health');
    const { endOfCall } = res.body as { endOfCall: EndOfCallBacklog };
    if (Date.parse(endOfCall.readAt) >= asked) return endOfCall;
    if (Date.now() - asked > timeoutMs) throw new Error(`no backlog read after ${new Date(asked).toISOString()}: the last was read at ${endOfCall.readAt}`);
    await sleep(100);
  }
}
