// A path through a flow as the simulator sees it: its steps and labels, keys and counts.
import type { FlowResolver } from '../flows/flow-resolver';

/** How the call left a step on a path: one agent decision, one back-end reply, or one timer. */
export type PathLabel =
  | { kind: 'decision'; option: string; event: string; input?: Record<string, unknown> }
  | { kind: 'done'; invokeId: string; src: string; output: unknown }
  | { kind: 'error'; invokeId: string; src: string; error: unknown }
  | { kind: 'timeout'; delay: string; eventType: string };

export interface PathStep {
  /** The step (state id) the call is in. */
  state: string;
  /** What moves it on (concrete: option ids and raw inputs as an agent would send them, sample replies). */
  label: PathLabel;
}

/**
 * One path of one customer's enumeration.
 * - `simple`: the whole way from the start to an ending, no step twice; `steps` lead to `final`.
 * - `loop`: built for a transition no simple path takes (a retry, a failed check going back, the
 *   third failure that locks): `steps` are the shortest way to it and the transition itself; the
 *   call then goes on to an ending by the shortest way the customer can take (chosen while it
 *   runs, since the back end's answers decide it). `final`/`outcome` are the enumeration's guess.
 */
export interface ConcretePath {
  key: string;
  steps: PathStep[];
  final: string;
  outcome: string;
  kind: 'simple' | 'loop';
  /** Loop paths: the step the last transition leads to. */
  next?: string;
  /** Loop paths: the transition they are built for, `step[label]→next step`. */
  edge?: string;
}

/** The transitions (`step[label]→next step`) a path takes. */
export const edgesOf = (steps: PathStep[], end: string): string[] => steps.map((s, i) => `${s.state}[${labelName(s.label)}]→${steps[i + 1]?.state ?? end}`);

export interface Enumeration {
  customer: string;
  paths: ConcretePath[];
  vertices: number;
  edges: number;
  /** True when the simple paths were more than `maxPaths` and only the first ones were kept. */
  capped: boolean;
  /** Edges from which no ending can be reached (a flow defect), as `state[label]`. */
  deadEnds: string[];
}

export interface EnumerateOptions {
  /** Resolver the calls will run with: it supplies the related-marketing matrix for `offersFrom: matrix` steps. */
  flows?: FlowResolver | null;
  /** Cap on simple paths per customer (the enumeration is exponential in loops). Default 400. */
  maxPaths?: number;
  /** Cap on graph traversal steps per customer (xstate `limit`). Default 50 000. */
  maxTraversal?: number;
}

/** The logical time coverage calls start at (the resolver's matrix and flows are read as of then). */
export const COVERAGE_START = '2026-11-01T09:00:00.000Z';

/** Short name of a label, as used in path keys: option id, `done:<invoke>`, `error:<invoke>`, `after:<delay>`. */
export function labelName(label: PathLabel): string {
  switch (label.kind) {
    case 'decision':
      return label.option;
    case 'done':
      return `done:${label.invokeId}`;
    case 'error':
      return `error:${label.invokeId}`;
    case 'timeout':
      return `after:${label.delay}`;
  }
}

export const pathKey = (steps: PathStep[], final: string): string => [...steps.map((s) => `${s.state}[${labelName(s.label)}]`), final].join(' → ');

/** A loop path's key: the way to the transition and the transition, then "on to an ending". */
export const loopKey = (steps: PathStep[], next: string): string => [...steps.map((s) => `${s.state}[${labelName(s.label)}]`), next, '…'].join(' → ');

export const agentSteps = (steps: PathStep[]): number => steps.filter((s) => s.label.kind === 'decision').length;

/** An event the enumeration offers the machine, with the label the path records for it. */
export type PathEvent = { type: string; input?: unknown; output?: unknown; error?: unknown; $label: PathLabel };
