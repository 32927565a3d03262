// A bench client that drives many calls over a few WebSockets at once, frames matched to their
// replies by requestId (the recovery and replay phases: the load to set up, not the load measured).

import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

import { HOST } from './harness.mjs';

export class PipelinedAgent {
  /** Opens one socket as the token's user; resolves once it is open. */
  static open(port, token) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${HOST}:${port}/ws?token=${encodeURIComponent(token)}&locale=en`, { perMessageDeflate: false });
      const agent = new PipelinedAgent(ws);
      ws.once('open', () => resolve(agent));
      ws.once('error', reject);
      ws.once('unexpected-response', (_q, res) => reject(new Error(`handshake: HTTP ${res.statusCode}`)));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.waiting = new Map();
    this.pushes = new Map();
    ws.on('message', (buf) => {
      const { event, data } = JSON.parse(buf);
      const reply = data?.requestId && this.waiting.get(data.requestId);
      if (reply) {
        this.waiting.delete(data.requestId);
        reply({ event, data });
      } else if (event === 'call.view' && data?.callId) {
        // Kept until asked for: a push can arrive in the same read as the reply before it.
        const waiter = this.pushes.get(data.callId);
        if (typeof waiter === 'function') waiter(data);
        else this.pushes.set(data.callId, [...(waiter ?? []), data]);
      }
    });
    ws.on('close', () => {
      for (const reply of this.waiting.values()) reply({ event: 'closed', data: null });
      this.waiting.clear();
    });
  }

  /** Sends one frame and resolves with its reply: `{ event, data }` (`call.view` or `call.error`). */
  request(event, data, timeoutMs = 30_000) {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        resolve({ event: 'timeout', data: null });
      }, timeoutMs);
      this.waiting.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.ws.send(JSON.stringify({ event, data: { requestId, ...data } }));
    });
  }

  /** The next view the server pushes by itself for a call (a back-end reply), or null after the timeout. */
  nextPush(callId, timeoutMs = 30_000) {
    const queued = this.pushes.get(callId);
    if (Array.isArray(queued)) {
      const view = queued.shift();
      if (!queued.length) this.pushes.delete(callId);
      return Promise.resolve(view);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pushes.delete(callId);
        resolve(null);
      }, timeoutMs);
      this.pushes.set(callId, (view) => {
        clearTimeout(timer);
        this.pushes.delete(callId);
        resolve(view);
      });
    });
  }

  /** Drops the pushes kept for a call no longer driven. */
  forget(callId) {
    this.pushes.delete(callId);
  }

  close() {
    this.ws.close();
  }
}

/** Runs `work(i)` for i in [0, n) with at most `width` in flight. */
export async function inParallel(n, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, width) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** The frame data of a scripted decision at the call's current view. */
export function decideData(callId, seq, step) {
  const data = { callId, seq, option: step.option };
  if (step.input !== undefined) data.input = step.input;
  if (step.confirmedPrompts) data.confirmedPrompts = step.confirmedPrompts;
  return data;
}
