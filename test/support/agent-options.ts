/** How a scripted agent (call-agent.ts) behaves: whom it calls, how fast it decides, when it gives up. */
export interface AgentOptions {
  /** Subscribers to call about (msisdn). */
  customers: readonly string[];
  /** Flows to start calls with. */
  flows: readonly string[];
  /** Pause before each decision (ms, inclusive range). */
  thinkMs?: [number, number];
  /** A call still running after this many decisions is hung up. */
  maxDecisions?: number;
  /** Chance per decision to hang up instead. */
  hangupRate?: number;
  /** Per request. */
  requestTimeoutMs?: number;
  /** How long to wait for a push at a waiting step before refreshing with call.attach. */
  pushWaitMs?: number;
  /** Error codes that are part of the scenario, not problems (counted in `refusals`). */
  expectedErrors?: readonly string[];
}

/** The options with the defaults filled in. */
export const withDefaults = (opts: AgentOptions): Required<AgentOptions> => ({
  thinkMs: [5, 40],
  maxDecisions: 25,
  hangupRate: 0.02,
  requestTimeoutMs: 15_000,
  pushWaitMs: 5_000,
  expectedErrors: [],
  ...opts,
});
