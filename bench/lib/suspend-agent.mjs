// The suspend-service load bench's simulated agent (bench/suspend-load.mjs).

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

import { HOST, bump } from './harness.mjs';

// The scripted happy path of flows/suspend-service.json for a caller whose back end answers ok.

const FLOW_ID = 'suspend-service';
/** What the agent answers on each step that asks for a decision. */
const PLAN = {
  'check-eligibility': { option: 'continue' },
  'confirm-reason': { option: 'continue', input: { reason: 'travel' } },
  warn: { option: 'acknowledged' },
  upsell: { option: 'decline' },
  verify: { option: 'password' },
  execute: { option: 'execute' },
  remind: { option: 'acknowledged' },
  close: { option: 'submit' },
};
/** Steps where the back end works and the server pushes the next view by itself. */
const WAIT_STEPS = new Set(['checking-password', 'checking-document', 'executing']);
/** The step each request (or back-end step) must lead to on the happy path. */
const NEXT = {
  start: 'check-eligibility',
  'check-eligibility': 'confirm-reason',
  'confirm-reason': 'warn',
  warn: 'upsell',
  upsell: 'verify',
  verify: 'checking-password',
  'checking-password': 'execute',
  execute: 'executing',
  executing: 'remind',
  remind: 'close',
  close: 'completed',
};
const FINAL_STEPS = new Set(['completed', 'not-eligible', 'offer-accepted', 'verification-locked', 'execution-failed']);

// One simulated agent: one WebSocket, whole calls back to back.

export class Agent {
  constructor(id, run) {
    this.id = id;
    this.run = run;
    this.callerNumber = run.opts.callers[id % run.opts.callers.length];
    this.ws = null;
    this.callId = null;
    this.seq = -Infinity;
    this.stepId = null;
    this.pending = null; // { requestId, sentAt, kind, fromStep, timer }
    this.waitSince = null; // waiting for a pushed view since (performance.now())
    this.waitTimer = null;
    this.thinkTimer = null;
    this.open = false;
    this.closedByUs = false;
  }

  connect(token) {
    const { run } = this;
    const url = `ws://${HOST}:${run.server.port}/ws?token=${encodeURIComponent(token)}&locale=en`;
    const t0 = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10000 });
    this.ws = ws;
    ws.on('open', () => {
      this.open = true;
      run.connectMs.push(performance.now() - t0);
      run.connected++;
      if (!run.stopping) this.startCall();
    });
    ws.on('unexpected-response', (_req, res) => {
      run.error(`connect-refused:HTTP ${res.statusCode}`, `agent ${this.id}`);
      res.resume();
    });
    ws.on('message', (buf) => this.onMessage(buf));
    ws.on('error', (e) => {
      if (!this.closedByUs) run.error(`ws-error:${e.code || e.message}`, `agent ${this.id}: ${e.message}`);
    });
    ws.on('close', (code, reason) => {
      const wasOpen = this.open;
      this.open = false;
      this.clearTimers();
      if (!this.closedByUs && wasOpen) run.error(`ws-closed:${code}`, `agent ${this.id}: ${reason?.toString() || ''}`);
    });
  }

  clearTimers() {
    clearTimeout(this.thinkTimer);
    clearTimeout(this.waitTimer);
    if (this.pending) clearTimeout(this.pending.timer);
    this.thinkTimer = this.waitTimer = null;
  }

  thinkMs() {
    const t = this.run.opts.think;
    return t * (0.8 + 0.4 * Math.random());
  }

  /** After an agent-facing view: think, then act (unless the run is over). */
  later(fn) {
    clearTimeout(this.thinkTimer);
    this.thinkTimer = setTimeout(() => {
      this.thinkTimer = null;
      if (!this.run.stopping && this.open) fn();
    }, this.thinkMs());
  }

  send(event, data, kind, fromStep) {
    const requestId = randomUUID();
    const frame = JSON.stringify({ event, data: { requestId, ...data } });
    const timer = setTimeout(() => {
      if (this.pending?.requestId !== requestId) return;
      this.run.error('no-reply', `agent ${this.id}: ${event} from step ${fromStep} (seq ${data.seq}) had no reply after ${this.run.opts.timeout} ms`);
      this.run.timedOut.add(requestId);
      this.pending = null;
      this.abandon();
    }, this.run.opts.timeout);
    this.pending = { requestId, sentAt: performance.now(), kind, fromStep, timer };
    this.run.sent[kind]++;
    this.ws.send(frame);
  }

  startCall() {
    this.callId = null;
    this.seq = -Infinity;
    this.stepId = null;
    this.send('call.start', { callerNumber: this.callerNumber, flowId: FLOW_ID }, 'start', 'start');
  }

  /** Give up on the current call (after an error or an unexpected view) and start a fresh one. */
  abandon() {
    this.run.callsAbandoned++;
    if (this.callId && this.open) {
      // end the call on the server too, so abandoned calls do not pile up as live calls
      const requestId = randomUUID();
      this.run.hangups.add(requestId);
      this.ws.send(JSON.stringify({ event: 'call.hangup', data: { requestId, callId: this.callId } }));
    }
    this.callId = null;
    this.waitSince = null;
    clearTimeout(this.waitTimer);
    this.later(() => this.startCall());
  }

  onMessage(buf) {
    const run = this.run;
    const now = performance.now();
    let msg;
    try {
      msg = JSON.parse(buf.toString('utf8'));
    } catch {
      run.error('client:bad-json-frame', buf.toString('utf8').slice(0, 200));
      return;
    }
    const { event, data } = msg || {};
    if (event !== 'call.view' && event !== 'call.error') {
      bump(run.otherEvents, String(event));
      return;
    }
    const rid = data?.requestId;
    let isReply = false;
    let req = null;
    if (rid !== undefined && rid !== null) {
      if (this.pending && this.pending.requestId === rid) {
        req = this.pending;
        clearTimeout(req.timer);
        this.pending = null;
        isReply = true;
        const ms = now - req.sentAt;
        run.latency.all.push(ms);
        run.latency[req.kind].push(ms);
        run.replies++;
        if (now >= run.steadyFrom && now <= run.stopAt) run.steadyReplies++;
      } else if (run.hangups.has(rid)) {
        run.hangups.delete(rid); // answer to our clean-up hangup: not a decision, not timed
        return;
      } else if (run.timedOut.has(rid)) {
        run.anomaly('late-reply', `agent ${this.id}: reply for ${rid} after the client timeout`);
        return;
      } else {
        run.anomaly('unmatched-requestId', `agent ${this.id}: ${event} requestId ${rid} ${JSON.stringify(data).slice(0, 200)}`);
        return;
      }
    }

    if (event === 'call.error') {
      const code = data?.code ?? '(no code)';
      run.error(code, `agent ${this.id}${req ? ` after ${req.kind} from step ${req.fromStep}` : ' (unsolicited)'}: ${data?.message ?? ''}`);
      if (isReply) this.abandon();
      return;
    }

    // call.view
    const view = data || {};
    if (!isReply) run.pushes++;
    if (isReply && req.kind === 'start') {
      this.callId = view.callId;
    } else if (view.callId !== this.callId) {
      run.anomaly('view-for-other-call', `agent ${this.id}: got view for ${view.callId}, current call ${this.callId}${isReply ? ' (reply)' : ' (push)'}`);
      return;
    }
    if (typeof view.seq !== 'number') {
      run.error('client:view-without-seq', JSON.stringify(view).slice(0, 300));
      if (isReply) this.abandon();
      return;
    }
    if (view.seq <= this.seq) {
      run.anomaly('stale-view', `agent ${this.id}: seq ${view.seq} <= latest ${this.seq} (step ${view.step?.id}, ${isReply ? 'reply' : 'push'})`);
      return;
    }
    this.seq = view.seq;

    const prevStep = isReply ? req.fromStep : this.stepId;
    const stepId = view.step?.id;
    this.stepId = stepId;

    if (!isReply) {
      // a push: only expected while a back-end step is running
      if (this.waitSince === null) {
        run.anomaly('unexpected-push', `agent ${this.id}: pushed step ${stepId} while at ${prevStep}`);
      } else {
        run.pushMs.push(now - this.waitSince);
        this.waitSince = null;
        clearTimeout(this.waitTimer);
      }
    }

    const expected = NEXT[prevStep];
    if (stepId !== expected) {
      run.error(
        'client:wrong-view',
        `agent ${this.id}: after ${prevStep} expected step ${expected}, got ${stepId} (status ${view.status}, outcome ${view.outcome ?? '-'})`,
      );
      this.abandon();
      return;
    }

    if (FINAL_STEPS.has(stepId)) {
      if (view.status === 'completed' || view.outcome === 'completed') {
        run.callsCompleted++;
      } else {
        run.error('client:wrong-final-status', `agent ${this.id}: final step ${stepId} with status ${view.status}, outcome ${view.outcome}`);
      }
      this.callId = null;
      this.later(() => this.startCall());
      return;
    }

    if (WAIT_STEPS.has(stepId)) {
      this.waitSince = now;
      const limit = Math.max(run.opts.timeout, (run.opts.backendTimeout ?? 0) + 5000);
      this.waitTimer = setTimeout(() => {
        if (this.waitSince === null) return;
        this.waitSince = null;
        run.error('client:no-push', `agent ${this.id}: no pushed view ${limit} ms after entering ${stepId}`);
        this.abandon();
      }, limit);
      return;
    }

    const plan = PLAN[stepId];
    const options = Array.isArray(view.step?.options) ? view.step.options.map((o) => o?.id) : [];
    if (!options.includes(plan.option)) {
      run.error('client:option-missing', `agent ${this.id}: step ${stepId} offers [${options.join(', ')}], not ${plan.option}`);
      this.abandon();
      return;
    }
    const seq = view.seq;
    this.later(() => {
      const data = { callId: this.callId, seq, option: plan.option };
      if (plan.input) data.input = plan.input;
      this.send('call.decide', data, 'decide', stepId);
    });
  }

  close() {
    this.closedByUs = true;
    this.clearTimers();
    if (!this.ws) return Promise.resolve();
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 3000);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else this.ws.close(1000, 'bench done');
    });
  }
}
