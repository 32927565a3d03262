// The open-loop bench's agent connections (bench/open-loop.mjs): one agent each, one call at a time,
// opened MAX_OPENING at a time and reused; methods of Load (open-loop-client.mjs), on its `this`.

import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

import { HOST } from './harness.mjs';

/** Handshakes in flight at once: a burst of thousands only times out in the listen backlog. */
const MAX_OPENING = 32;

export const connectionMethods = {
  /**
   * An agent connection with no call: an idle one, else a new one — at most MAX_OPENING handshakes
   * at a time; beyond that the call waits for the next connection to open or come free (the wait
   * counts in its start latency, which runs from the intended arrival).
   */
  acquire() {
    const idle = this.idleConns.pop();
    if (idle) return Promise.resolve(idle);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.openForWaiters();
    });
  },

  /** One handshake per waiting call, MAX_OPENING at a time; a connection freed meanwhile serves a waiter first. */
  openForWaiters() {
    while (!this.stopping && this.opening < MAX_OPENING && this.waiters.length > this.opening) {
      this.opening++;
      void this.open().then((conn) => {
        this.opening--;
        if (conn) this.release(conn);
        this.openForWaiters();
      });
    }
  },

  /** Agents log in before calls arrive: `n` connections opened (MAX_OPENING at a time) and left idle. */
  async preconnect(n) {
    let left = n;
    await Promise.all(
      Array.from({ length: Math.min(n, MAX_OPENING) }, async () => {
        while (left-- > 0) {
          const conn = await this.open();
          if (conn) this.idleConns.push(conn);
        }
      }),
    );
  },

  open() {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const ws = new WebSocket(`ws://${HOST}:${this.server.port}/ws?token=${encodeURIComponent(this.token)}&locale=en`, {
        perMessageDeflate: false,
        handshakeTimeout: 10000,
      });
      const conn = { ws, call: null, open: false };
      this.conns.add(conn);
      ws.on('open', () => {
        conn.open = true;
        this.c.connectOk++;
        this.lat.connect.push(performance.now() - t0);
        resolve(conn);
      });
      ws.on('message', (buf) => this.onMessage(conn, buf));
      ws.on('unexpected-response', (_q, res) => {
        this.error(`connect:HTTP ${res.statusCode}`);
        res.resume();
      });
      ws.on('error', (e) => {
        if (!this.stopping) this.error(`ws-error:${e.code || e.message}`);
      });
      ws.on('close', () => {
        const wasOpen = conn.open;
        conn.open = false;
        this.conns.delete(conn);
        if (!wasOpen) {
          this.c.connectFail++;
          resolve(null);
        }
        if (conn.call) this.abandon(conn.call, this.stopping ? null : 'ws-closed');
      });
    });
  },

  release(conn) {
    conn.call = null;
    if (!conn.open || this.stopping) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(conn);
    else this.idleConns.push(conn);
  },

  async closeAll() {
    this.stopping = true;
    for (const w of this.waiters.splice(0)) w(null);
    for (const call of this.active) {
      clearTimeout(call.timer);
      if (call.pending) clearTimeout(call.pending.timer);
    }
    await Promise.all(
      [...this.conns].map(
        (conn) =>
          new Promise((resolve) => {
            const { ws } = conn;
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            const t = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 3000);
            ws.once('close', () => {
              clearTimeout(t);
              resolve();
            });
            if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
            else ws.close(1000, 'bench done');
          }),
      ),
    );
  },
};
