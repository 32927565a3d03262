/**
 * A scripted agent for multi-node chaos tests (test/e2e/cluster-chaos.pg-spec.ts): like CallAgent it
 * takes whole calls one after another over a real WebSocket, choosing options and inputs with a seeded
 * generator, but it roams: when its node stops answering (killed, paused), closes its socket, refuses
 * an append with CALL_MOVED or pushes `call.moved`, it connects to another node a balancer would send
 * it to, attaches its call there and goes on — checking the server resumed the call at or after the
 * newest view it saw. Every view it received, and every decision it sent, goes into shared records.
 */
import type { View } from './agent-ledger';
import { inputFor, type Rng } from './seeded-choices';
import { sleep } from './poll';
import { WsClient } from './ws-client';

/** A view that reached the agent: the reply to a start, decision, hang-up or attach, or a push. */
export interface Ack {
  agent: string;
  callId: string;
  seq: number;
  step: string;
  status: string;
  kind: 'start' | 'decide' | 'hangup' | 'attach' | 'push';
  /** For `decide`: the option the view acknowledges. */
  option?: string;
}

/** A decision the agent sent (acknowledged or not): the view seq it answered and the option. */
export interface Sent {
  agent: string;
  callId: string;
  seq: number;
  option: string;
}

export interface RoamingOptions {
  customers: readonly string[];
  flows: readonly string[];
  /** The ports a balancer would hand a new connection to now (running, answering nodes). */
  ports: () => number[];
  /** No answer within this: the node is taken for gone and the agent moves (default 2500 ms). */
  requestTimeoutMs?: number;
  thinkMs?: [number, number];
  maxDecisions?: number;
  hangupRate?: number;
}

/** The node did not answer (timeout) or the socket closed: move to another node. */
class Unreachable extends Error {}

export class RoamingAgent {
  private ws?: WsClient;
  private port?: number;
  private stopping = false;
  private loop?: Promise<void>;
  private decisionsInCall = 0;
  private readonly movedPushes = new Set<string>();
  private readonly newest = new Map<string, { seq: number; step: string; status: string }>();
  /** The call this agent is driving and the newest view of it. */
  current?: View;
  decisions = 0;
  callsStarted = 0;
  /** Node changes, by reason. */
  readonly moves = new Map<string, number>();
  /** Expected refusals (STALE_SEQ, CALL_MOVED), by code. */
  readonly refusals = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly rng: Rng,
    private readonly opts: RoamingOptions,
    private readonly acks: Ack[],
    private readonly sent: Sent[],
    private readonly problems: string[],
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Finishes the step in hand, then stops (its socket stays open for a last attach). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /** After stop(): the call as the server shows it on attach (on whichever node the agent lands), or null without a call. */
  async attachFinally(): Promise<View | null> {
    if (!this.current) return null;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        if (!this.ws?.isOpen) await this.connect();
        const reply = await this.request('call.attach', { callId: this.current.callId });
        if (reply.event === 'call.view') {
          this.check(reply.data as View, 'final attach');
          this.record(reply.data as View, 'attach');
          this.current = reply.data as View;
          return this.current;
        }
        if (reply.data.code !== 'CALL_MOVED') {
          this.problem(`final attach ${this.current.callId}: ${JSON.stringify(reply.data)}`);
          return null;
        }
      } catch (e) {
        if (!(e instanceof Unreachable)) throw e;
      }
      this.drop('final attach');
    }
    this.problem(`final attach ${this.current.callId}: no node answered`);
    return null;
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.ws?.ws.terminate();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.ws?.isOpen) {
          await this.connect();
          if (this.current?.status === 'active') await this.attach();
          continue;
        }
        if (this.current && this.movedPushes.delete(this.current.callId)) {
          this.drop('call.moved');
          continue;
        }
        await this.step();
      } catch (e) {
        if (e instanceof Unreachable) this.drop('unreachable');
        else {
          this.problem(`agent loop: ${(e as Error).stack ?? e}`);
          return;
        }
      }
    }
  }

  /** Leaves the current node (its socket cut at once, as a browser whose server stopped answering). */
  private drop(reason: string): void {
    this.moves.set(reason, (this.moves.get(reason) ?? 0) + 1);
    this.ws?.ws.terminate();
    this.ws = undefined;
  }

  /** Connects to a node a balancer would pick now, another one than before when there is a choice. */
  private async connect(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const ports = this.opts.ports();
      const others = ports.filter((p) => p !== this.port);
      const port = others.length ? this.rng.pick(others) : ports.length ? ports[0] : undefined;
      if (port !== undefined) {
        try {
          const ws = await WsClient.connect(port, this.token, undefined, 2000);
          ws.ws.on('message', (raw) => {
            const frame = JSON.parse(raw.toString()) as { event: string; data?: { callId?: string } };
            if (frame.event === 'call.moved' && frame.data?.callId) this.movedPushes.add(frame.data.callId);
          });
          this.ws = ws;
          this.port = port;
          return;
        } catch {
          this.port = port; // try another one
        }
      }
      await sleep(200);
    }
    throw new Error(`${this.name}: no node accepted a connection for 20 s`);
  }

  private async request(event: string, data: Record<string, unknown>) {
    const ws = this.ws;
    if (!ws?.isOpen) throw new Unreachable('socket not open');
    try {
      return await ws.request(event, data, this.opts.requestTimeoutMs ?? 2500);
    } catch (e) {
      throw new Unreachable((e as Error).message);
    }
  }

  /** call.attach of the current call on this node; the server must show it at or after the newest view seen. */
  private async attach(): Promise<void> {
    const callId = this.current!.callId;
    const reply = await this.request('call.attach', { callId });
    if (reply.event === 'call.view') {
      this.check(reply.data as View, 'attach');
      this.record(reply.data as View, 'attach');
      this.current = reply.data as View;
    } else if (reply.data.code === 'CALL_MOVED') {
      this.refused('CALL_MOVED');
      this.drop('CALL_MOVED');
    } else {
      this.problem(`attach ${callId}: ${JSON.stringify(reply.data)}`);
      this.current = undefined;
    }
  }

  private async step(): Promise<void> {
    const view = this.current;
    if (!view || view.status !== 'active') {
      const reply = await this.request('call.start', { callerNumber: this.rng.pick(this.opts.customers), flowId: this.rng.pick(this.opts.flows) });
      if (reply.event === 'call.view') {
        this.record(reply.data as View, 'start');
        this.current = reply.data as View;
        this.callsStarted++;
        this.decisionsInCall = 0;
      } else await this.onError('call.start', reply.data);
      return;
    }
    if (!view.step.options.length) {
      // A waiting step: the back-end reply or its timeout comes as a push; without one, look again.
      let pushed: View | undefined;
      try {
        pushed = (await this.ws!.nextPush((f) => f.data.callId === view.callId && f.data.seq > view.seq, 2000)).data as unknown as View;
      } catch {
        /* no push in time (or the socket closed): attach below */
      }
      if (pushed) {
        this.record(pushed, 'push');
        this.current = pushed;
      } else await this.attach();
      return;
    }
    await sleep(this.rng.int(...(this.opts.thinkMs ?? [10, 80])));
    if (this.decisionsInCall >= (this.opts.maxDecisions ?? 12) || this.rng.next() < (this.opts.hangupRate ?? 0.04)) {
      const reply = await this.request('call.hangup', { callId: view.callId });
      if (reply.event === 'call.view') {
        this.record(reply.data as View, 'hangup');
        this.current = reply.data as View;
      } else await this.onError('call.hangup', reply.data);
      return;
    }
    const choices = view.step.options.map((o) => ({ option: o, input: inputFor(this.rng, view, o) })).filter((c) => c.input !== null);
    if (!choices.length) {
      this.problem(`call ${view.callId} at '${view.step.id}': no option can be answered`);
      this.current = undefined;
      return;
    }
    const { option, input } = this.rng.pick(choices);
    this.sent.push({ agent: this.name, callId: view.callId, seq: view.seq, option: option.id });
    const data: Record<string, unknown> = { callId: view.callId, seq: view.seq, option: option.id };
    if (input && Object.keys(input).length) data.input = input;
    const reply = await this.request('call.decide', data);
    if (reply.event === 'call.view') {
      const acked = reply.data as View;
      this.record(acked, 'decide', option.id);
      this.decisions++;
      this.decisionsInCall++;
      if (acked.callId === view.callId && acked.seq >= (this.current?.seq ?? 0)) this.current = acked;
    } else await this.onError('call.decide', reply.data);
  }

  private async onError(event: string, data: { code?: string }): Promise<void> {
    if (data.code === 'CALL_MOVED') {
      this.refused('CALL_MOVED');
      this.drop('CALL_MOVED');
    } else if (data.code === 'STALE_SEQ') {
      // The call moved on without this agent's view (a push it has not read, a decision it never saw answered).
      this.refused('STALE_SEQ');
      await this.attach();
    } else {
      this.problem(`${event} on port ${this.port}: ${JSON.stringify(data)}`);
      if (event === 'call.start') this.current = undefined;
    }
  }

  private refused(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }

  /** The server never shows a call behind the newest view this agent saw of it, nor another step at the same seq. */
  private check(view: View, what: string): void {
    const before = this.newest.get(view.callId);
    if (!before) return;
    if (view.seq < before.seq)
      this.problem(`${what} of call ${view.callId} at seq ${view.seq}, behind the view the agent saw (seq ${before.seq} '${before.step}')`);
    else if (view.seq === before.seq && (view.step.id !== before.step || view.status !== before.status))
      this.problem(`${what} of call ${view.callId} at seq ${view.seq} on '${view.step.id}'/${view.status}, the agent saw '${before.step}'/${before.status}`);
  }

  private record(view: View, kind: Ack['kind'], option?: string): void {
    this.acks.push({ agent: this.name, callId: view.callId, seq: view.seq, step: view.step.id, status: view.status, kind, ...(option ? { option } : {}) });
    if ((this.newest.get(view.callId)?.seq ?? 0) <= view.seq) this.newest.set(view.callId, { seq: view.seq, step: view.step.id, status: view.status });
  }

  private problem(what: string): void {
    this.problems.push(`${this.name}: ${what}`);
  }
}
