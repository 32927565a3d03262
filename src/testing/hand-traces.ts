import type { CallTrace, TraceEntry } from '../calls';

/** A trace entry of a step of suspend-service, left one second after it was entered (what `over` does not say). */
export const entry = (seq: number, over: Partial<TraceEntry>): TraceEntry => ({
  seq,
  enteredSeq: seq,
  segment: 0,
  flowId: 'suspend-service',
  flowVersion: 2,
  stepId: 'step',
  flowKind: 'business',
  lane: 'frontstage',
  marks: [],
  final: false,
  effects: [],
  offerOptions: [],
  prompts: [],
  offers: [],
  enteredAt: `2026-12-01T10:00:0${seq}.000Z`,
  durationMs: 1000,
  action: null,
  wait: false,
  ...over,
});
/** A back-end reply that left the step (`provision`). */
export const reply = (seq: number, ok: boolean, output: unknown) => ({
  type: 'backend.reply' as const,
  seq,
  at: `2026-12-01T10:00:0${seq}.500Z`,
  leftStep: true,
  reply: { operation: 'provision', ok, output },
});
/** An ended call's trace by hand: a completed suspend-service call of 13800000005 that raised a ticket. */
export const trace = (entries: TraceEntry[], over: Partial<CallTrace> = {}): CallTrace => ({
  callId: 'call-1',
  agentId: 'agent-1',
  callerNumber: '13800000005',
  startedAt: '2026-12-01T10:00:00.000Z',
  customer: { tier: 'standard' },
  status: 'completed',
  outcome: 'ticket-raised',
  mode: 'hotline',
  entries,
  businesses: [{ flowId: 'suspend-service', version: 2, outcome: 'ticket-raised' }],
  ...over,
});
