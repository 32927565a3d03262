import type { LocalizedText } from './flow-definition';

/** `/api/training` (docs/TRAINING.md): a trainee's simulated calls on the published flows, their scores and certification. */

/** One step of a scenario as the simulated caller plays it. */
export interface ScenarioLine {
  stepId: string;
  stepTitle: LocalizedText;
  /** What the caller says at this step (the step's customer-lane line), when the flow has one. */
  says: LocalizedText | null;
  /** How the caller answers the agent's choice here (the path's option and the values the caller gives); null at back-end steps. */
  answer: { option: string; optionLabel: LocalizedText; input?: Record<string, unknown> } | null;
}

/** A scenario script: a simulator customer and a path the coverage enumeration finds through a published business. */
export interface TrainingScenario {
  id: string;
  flowId: string;
  flowTitle: LocalizedText;
  callerNumber: string;
  customerName: string;
  lines: ScenarioLine[];
  /** The ending the path reaches, and its outcome. */
  final: string;
  outcome: string;
}

export interface TrainingCallStarted {
  callId: string;
  scenario: TrainingScenario;
}

/** A training call: running (score null) or scored once it ended. */
export interface TrainingResult {
  callId: string;
  traineeId: string;
  trainee: string;
  flowId: string;
  scenarioId: string;
  startedAt: string;
  endedAt: string | null;
  score: number | null;
  passed: boolean | null;
  /** The scenario's agent decisions the trainee took as scripted, of all of them. */
  followed: number | null;
  expected: number | null;
  /** Whether the call reached the scenario's ending. */
  reachedEnd: boolean | null;
  /** The QA checks that applied and failed. */
  failedChecks: string[];
}

/** A trainee's standing on one business: passed scenarios above the pass score, of those required. */
export interface Certification {
  traineeId: string;
  trainee: string;
  flowId: string;
  passed: number;
  required: number;
  certified: boolean;
}

export interface TrainingRules {
  /** The score (0–100) a scenario must reach to pass. */
  passScore: number;
  /** Passed scenarios a business needs for certification. */
  required: number;
  /** Agents are offered (and may take real calls on) only the businesses they are certified for. */
  certifiedOnly: boolean;
}

/** `GET /api/training/me`: the trainee's own calls and certifications. */
export interface MyTraining extends TrainingRules {
  /** The newest 500 (the certifications count every call). */
  results: TrainingResult[];
  certifications: Certification[];
}

/** `GET /api/training/certifications`: every trainee's certifications and calls (supervisors). */
export interface TrainingOverview extends TrainingRules {
  /** The newest 500 training calls, everyone's (the certifications count every call). */
  results: TrainingResult[];
  certifications: Certification[];
}
