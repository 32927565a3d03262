/**
 * A scripted agent for load, crash and fault tests: it takes calls one after another over its
 * own WebSocket and answers every step with an option the view offers, chosen (with its inputs)
 * by a seeded random generator — so whole calls run through every catalogue flow, and a run
 * with the same seed makes the same choices. Every view it receives goes into a shared ledger.
 */
import WebSocket from 'ws';
import type { AgentProblem, InFlight, Seen, View } from './agent-ledger';
import { withDefaults, type AgentOptions } from './agent-options';
import { inputFor, type Rng } from './seeded-choices';
import { sleep } from './poll';
import { wsUrl } from './ws-client';

class SocketClosed extends Error {}

let requestCounter = 0;

export class CallAgent {
  private ws?: WebSocket;
  private readonly waiting = new Map<string, { resolve: (f: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; meta: InFlight }>();
  private viewListeners = new Set<() => void>();
  private stopped = false;
  private loop?: Promise<void>;
  /** The call this agent is driving and the newest view of it. */
  current?: View;
  decisions = 0;
  callsStarted = 0;
  readonly refusals = new Map<string, number>();
  private decisionsInCall = 0;
  private readonly opts: Required<AgentOptions>;

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly rng: Rng,
    opts: AgentOptions,
    /** Shared by all agents: every view that reached a client, in arrival order. */
    private readonly ledger: Seen[],
    private readonly problems: AgentProblem[],
  ) {
    this.opts = withDefaults(opts);
  }

  /** Requests sent on the current socket and not answered yet. */
  inFlight(): InFlight[] {
    return [...this.waiting.values()].map((w) => w.meta);
  }

  /** Opens a socket to the (re)started server; resolves once open. */
  connect(port: number): Promise<void> {
    this.stopped = false;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(port, this.token));
      this.ws = ws;
      ws.on('message', (raw) => this.onFrame(JSON.parse(raw.toString())));
      ws.on('close', () => {
        for (const [id, w] of this.waiting) {
          clearTimeout(w.timer);
          w.reject(new SocketClosed(`socket closed while waiting for ${w.meta.kind}`));
          this.waiting.delete(id);
        }
        this.viewListeners.forEach((l) => l());
      });
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /**
   * After a restart: attach to the call this agent was driving and check the server resumed it at
   * or after the newest view the agent saw — at the same step when nothing newer was logged.
   * Returns false when there was nothing to resume, or the socket closed first.
   */
  async resume(lastSeen: (callId: string) => Seen | undefined): Promise<boolean> {
    if (!this.current) return false;
    const callId = this.current.callId;
    const before = lastSeen(callId);
    let view: View;
    try {
      view = await this.request('call.attach', { callId }, { kind: 'attach', callId });
    } catch (e) {
      if (e instanceof SocketClosed) return false;
      this.problem(`attach ${callId} after restart: ${(e as Error).message}`);
      this.current = undefined;
      return false;
    }
    if (before && view.seq < before.seq)
      this.problem(`call ${callId} resumed at seq ${view.seq}, before the view the agent saw (seq ${before.seq} '${before.step}')`);
    if (before && view.seq === before.seq && (view.step.id !== before.step || view.status !== before.status)) {
      this.problem(`call ${callId} resumed at seq ${view.seq} on '${view.step.id}'/${view.status}, but the agent saw '${before.step}'/${before.status} there`);
    }
    this.current = view;
    return true;
  }

  /** Takes calls until stopped or the socket closes. */
  start(): void {
    this.loop = this.run();
  }

  /** Finishes the step in hand, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.viewListeners.forEach((l) => l());
    await this.loop;
  }

  /** Resolves when the loop has ended (the socket closed, or stop()). */
  finished(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.ws?.terminate();
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && this.open) await this.step();
    } catch (e) {
      if (!(e instanceof SocketClosed)) this.problem(`agent loop: ${(e as Error).stack ?? e}`);
    }
  }

  private async step(): Promise<void> {
    const view = this.current;
    if (!view || view.status !== 'active') {
      const callerNumber = this.rng.pick(this.opts.customers);
      const flowId = this.rng.pick(this.opts.flows);
      const reply = await this.send('call.start', { callerNumber, flowId }, { kind: 'start' });
      if (reply) {
        this.current = reply;
        this.callsStarted++;
        this.decisionsInCall = 0;
      }
      return;
    }
    const options = view.step.options;
    if (!options.length) {
      // A waiting step: the back-end reply or the timeout comes as a push.
      const pushed = await this.newerView(view, this.opts.pushWaitMs);
      if (!pushed && !this.stopped && this.open) await this.refresh(view.callId);
      return;
    }
    await sleep(this.rng.int(...this.opts.thinkMs));
    if (this.stopped || !this.open) return;
    if (this.current !== view) return; // a push moved the call on while thinking
    if (this.decisionsInCall >= this.opts.maxDecisions || this.rng.next() < this.opts.hangupRate) {
      const reply = await this.send('call.hangup', { callId: view.callId }, { kind: 'hangup', callId: view.callId, seq: view.seq });
      if (reply) this.current = reply;
      return;
    }
    const choices = options.map((o) => ({ option: o, input: inputFor(this.rng, view, o) })).filter((c) => c.input !== null);
    if (!choices.length) {
      this.problem(`call ${view.callId} at '${view.step.id}': no option can be answered: ${JSON.stringify(view.step)}`);
      this.current = undefined;
      return;
    }
    const { option, input } = this.rng.pick(choices);
    const data: Record<string, unknown> = { callId: view.callId, seq: view.seq, option: option.id };
    if (input && Object.keys(input).length) data.input = input;
    const reply = await this.send('call.decide', data, { kind: 'decide', callId: view.callId, seq: view.seq, option: option.id });
    if (reply) {
      this.decisions++;
      this.decisionsInCall++;
      if (!this.current || reply.seq >= this.current.seq) this.current = reply;
    } else {
      await this.refresh(view.callId);
    }
  }

  /** A request whose error answer is counted (and refreshed from) rather than thrown; socket closure is thrown. */
  private async send(event: string, data: Record<string, unknown>, meta: Omit<InFlight, 'agent'>): Promise<View | null> {
    try {
      return await this.request(event, data, meta);
    } catch (e) {
      if (e instanceof SocketClosed) throw e;
      const code = (e as { code?: string }).code;
      if (code && (code === 'STALE_SEQ' || this.opts.expectedErrors.includes(code))) {
        this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
      } else {
        this.problem(`${event} ${JSON.stringify(data)}: ${(e as Error).message}`);
      }
      return null;
    }
  }

  private async refresh(callId: string): Promise<void> {
    const view = await this.send('call.attach', { callId }, { kind: 'attach', callId });
    if (view && (!this.current || this.current.callId !== callId || view.seq >= this.current.seq)) this.current = view;
  }

  private request(event: string, data: Record<string, unknown>, meta: Omit<InFlight, 'agent'>): Promise<View> {
    if (!this.open) return Promise.reject(new SocketClosed('socket not open'));
    const requestId = `${this.name}-${++requestCounter}`;
    const sentAt = performance.now();
    return new Promise<View>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`no answer to ${event} within ${this.opts.requestTimeoutMs} ms`));
      }, this.opts.requestTimeoutMs);
      this.waiting.set(requestId, {
        meta: { agent: this.name, ...meta },
        timer,
        reject,
        resolve: (frame: { event: string; data: any }) => {
          if (frame.event === 'call.view') {
            this.record(frame.data, meta.kind, meta.option, performance.now() - sentAt);
            resolve(frame.data);
          } else {
            reject(Object.assign(new Error(`${frame.data.code}: ${frame.data.message}`), { code: frame.data.code, data: frame.data }));
          }
        },
      });
      this.ws!.send(JSON.stringify({ event, data: { ...data, requestId } }));
    });
  }

  private onFrame(frame: { event: string; data: any }): void {
    const requestId = frame.data?.requestId;
    if (typeof requestId === 'string' && this.waiting.has(requestId)) {
      const w = this.waiting.get(requestId)!;
      this.waiting.delete(requestId);
      clearTimeout(w.timer);
      w.resolve(frame);
      return;
    }
    if (frame.event === 'call.view') {
      this.record(frame.data, 'push');
      if (this.current && frame.data.callId === this.current.callId && frame.data.seq > this.current.seq) this.current = frame.data;
      this.viewListeners.forEach((l) => l());
    } else if (frame.event === 'call.error') {
      this.problem(`unsolicited call.error: ${JSON.stringify(frame.data)}`);
    }
  }

  private record(view: View, kind: Seen['kind'], option?: string, latencyMs?: number): void {
    this.ledger.push({
      agent: this.name,
      callId: view.callId,
      seq: view.seq,
      step: view.step.id,
      status: view.status,
      kind,
      at: performance.now(),
      ...(option !== undefined ? { option } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
    });
  }

  /** Resolves true once a view newer than `view` of its call arrived, false on timeout, stop or closure. */
  private newerView(view: View, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        const moved = !!this.current && this.current.callId === view.callId && this.current.seq > view.seq;
        if (moved || this.stopped || !this.open) {
          clearTimeout(timer);
          this.viewListeners.delete(check);
          resolve(moved);
        }
      };
      const timer = setTimeout(() => {
        this.viewListeners.delete(check);
        resolve(false);
      }, timeoutMs);
      this.viewListeners.add(check);
      check();
    });
  }

  private problem(what: string): void {
    this.problems.push({ agent: this.name, what });
  }
}
