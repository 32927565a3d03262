// The open-loop bench's client: agent connections and scripted calls (bench/open-loop.mjs).

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bump } from './harness.mjs';
import { connectionMethods } from './open-loop-connections.mjs';

// Client: connections (one agent each, one call at a time) and calls.

export class Load {
  /** mode: 'laihua' (every view checked against the script) or 'baseline' (replies only). */
  constructor({ server, token, scripts, opts, mode }) {
    Object.assign(this, { server, token, scripts, opts, mode });
    this.validate = mode === 'laihua';
    this.idleConns = [];
    this.conns = new Set();
    this.opening = 0;
    this.waiters = [];
    this.active = new Set();
    this.stopping = false;
    this.window = { from: Infinity, to: Infinity };
    this.c = {
      connectOk: 0,
      connectFail: 0,
      started: 0,
      completed: 0,
      abandoned: 0,
      sent: 0,
      replies: 0,
      pushes: 0,
      windowReplies: 0,
      windowDecides: 0,
      replyBytes: 0,
      replyFrames: 0,
    };
    this.lat = { decideCo: [], decideAt: [], decideSvc: [], start: [], connect: [] };
    this.errors = {};
    this.errorSamples = {};
  }

  error(code, detail) {
    bump(this.errors, code);
    const s = (this.errorSamples[code] ||= []);
    if (s.length < 3 && detail) s.push(detail);
  }

  inWindow(t) {
    return t >= this.window.from && t < this.window.to;
  }

  /** One call: arrive (intended time `at`, ms on the performance clock), start, run the script. */
  async arrive(plan, at, { idle = false } = {}) {
    const script = this.scripts[plan.script];
    const call = {
      script,
      plan,
      idx: 0,
      intended: at,
      seq: -Infinity,
      callId: null,
      pending: null,
      timer: null,
      conn: null,
      idle,
      decision: 0,
      ended: false,
    };
    call.done = new Promise((resolve) => (call.settle = resolve));
    this.active.add(call);
    const conn = await this.acquire();
    if (!conn || this.stopping) {
      this.active.delete(call);
      if (conn) this.release(conn);
      call.settle({ ok: false, code: 'no-connection' });
      return call;
    }
    call.conn = conn;
    conn.call = call;
    this.c.started++;
    this.send(call, 'call.start', { callerNumber: script.msisdn, flowId: script.flowId }, 'start', at);
    return call;
  }

  send(call, event, data, kind, intended) {
    const requestId = randomUUID();
    const now = performance.now();
    call.pending = {
      requestId,
      kind,
      intended,
      sent: now,
      timer: setTimeout(() => {
        if (call.pending?.requestId !== requestId) return;
        this.abandon(call, 'no-reply', `${call.script.flowId} ${kind} from step ${call.script.steps[call.idx - 1]?.from ?? 'start'}`);
      }, this.opts.timeout),
    };
    this.c.sent++;
    call.conn.ws.send(JSON.stringify({ event, data: { requestId, ...data } }));
  }

  onMessage(conn, buf) {
    const now = performance.now();
    let msg;
    try {
      msg = JSON.parse(buf);
    } catch {
      return this.error('client:bad-json');
    }
    const call = conn.call;
    const { event, data } = msg ?? {};
    if (event !== 'call.view' && event !== 'call.error') return;
    if (!call) return; // a late frame for a call already given up
    const p = call.pending;
    const isReply = p && data?.requestId === p.requestId;
    if (isReply) {
      clearTimeout(p.timer);
      call.pending = null;
      this.c.replies++;
      this.c.replyBytes += buf.length;
      this.c.replyFrames++;
      if (this.inWindow(p.intended)) {
        this.c.windowReplies++;
        if (p.kind === 'decide') {
          this.c.windowDecides++;
          // Node's timers run on the loop's cached millisecond clock and fire up to ~1 ms before the
          // intended time: a decision sent early is timed from its send (the floor's reply came back
          // before the intended time: p50 -0.05 ms), one sent late from the intended time.
          this.lat.decideCo.push(now - Math.min(p.intended, p.sent));
          this.lat.decideAt.push(p.intended);
          this.lat.decideSvc.push(now - p.sent);
        } else {
          this.lat.start.push(now - p.intended);
        }
      }
    } else if (data?.requestId) {
      return; // the answer to a clean-up hang-up, or a reply that came after its timeout
    } else if (!call.callId || data?.callId !== call.callId) {
      return; // a push for the call this connection had before (given up, then reused)
    }
    if (event === 'call.error') {
      return this.abandon(call, `call.error:${data?.code}`, `${call.script.flowId} at ${call.script.steps[call.idx - 1]?.from ?? 'start'}: ${data?.message}`);
    }
    if (!isReply) this.c.pushes++;
    if (typeof data.seq === 'number') {
      if (data.seq <= call.seq) return this.error('client:stale-view', `${call.script.flowId} seq ${data.seq} <= ${call.seq}`);
      call.seq = data.seq;
    }
    const steps = call.script.steps;
    let expect;
    if (isReply && p.kind === 'start') {
      call.callId = data.callId;
      expect = call.script.first;
    } else if (isReply) {
      expect = steps[call.idx - 1].expect;
    } else {
      const s = steps[call.idx];
      if (!s || s.kind !== 'push')
        return this.abandon(call, 'client:unexpected-push', `${call.script.flowId}: push of ${data.step?.id} at script step ${call.idx}`);
      call.idx++;
      expect = s.expect;
    }
    if (this.validate && data.step?.id !== expect) {
      return this.abandon(
        call,
        'client:wrong-view',
        `${call.script.flowId} (${call.script.msisdn}) ${call.script.key}: expected ${expect}, got ${data.step?.id} (status ${data.status})`,
      );
    }
    this.next(call, data);
  }

  /** After a view: schedule the next decision at its intended time, wait for a push, or end. */
  next(call, view) {
    if (call.idle) return; // idle phase: the call stays open, waiting on its agent
    const steps = call.script.steps;
    // The baseline has no back end: its pushes are taken as arrived at once.
    while (!this.validate && steps[call.idx]?.kind === 'push') call.idx++;
    const s = steps[call.idx];
    if (!s) {
      if (this.validate && view.status === 'active')
        return this.abandon(call, 'client:not-ended', `${call.script.flowId}: script done, call still active at ${view.step?.id}`);
      return this.finish(call);
    }
    if (s.kind === 'push') return; // the server pushes the next view by itself
    const think = call.plan.thinks[call.decision++];
    call.intended += think;
    const fire = () => {
      call.timer = null;
      if (this.stopping || call.ended) return;
      call.idx++;
      const data = { callId: call.callId, seq: call.seq, option: s.option };
      if (s.input !== undefined) data.input = s.input;
      if (s.confirmedPrompts) data.confirmedPrompts = s.confirmedPrompts;
      this.send(call, 'call.decide', data, 'decide', call.intended);
    };
    const wait = call.intended - performance.now();
    if (wait <= 0) fire();
    else call.timer = setTimeout(fire, wait);
  }

  finish(call) {
    call.ended = true;
    this.c.completed++;
    this.active.delete(call);
    this.release(call.conn);
    call.settle({ ok: true });
  }

  abandon(call, code, detail) {
    if (call.ended) return;
    call.ended = true;
    if (code) this.error(code, detail);
    if (code || !this.stopping) this.c.abandoned++;
    call.settle({ ok: false, code: code ?? 'stopped' });
    clearTimeout(call.timer);
    if (call.pending) clearTimeout(call.pending.timer);
    this.active.delete(call);
    const { conn } = call;
    if (!conn) return;
    if (conn.open && call.callId && this.validate) {
      conn.ws.send(JSON.stringify({ event: 'call.hangup', data: { requestId: `hangup-${randomUUID()}`, callId: call.callId } }));
    }
    this.release(conn);
  }
}

// The connection methods (acquire, preconnect, open, release, closeAll) live in open-loop-connections.mjs.
Object.assign(Load.prototype, connectionMethods);
