/**
 * Test dialling (拨测) as a campaign (issue 21 item 5, docs/CAMPAIGNS.md): a supervisor runs a
 * version — draft or published — with simulated callers drawn by brand quota, each call run end to
 * end by the simulator; the result is the field report's table, kept with the version.
 */

/** The simulator's brands: 全球通, 神州行, 动感地带. */
export type CampaignBrand = 'gotone' | 'easyown' | 'mzone';

/** `POST /api/campaigns`. */
export interface CampaignRequest {
  flowId: string;
  version: number;
  /** Simulated calls, 1–100 (the field report: 10 per business). */
  calls: number;
  /** Callers per brand, in proportion (default 全球通 : 神州行 : 动感地带 = 2 : 4 : 4). */
  quota?: Record<CampaignBrand, number>;
  /** The draw's seed: the same seed, version and simulator customers give the same campaign (default 1). */
  seed?: number;
}

/**
 * Why a call failed: the back end's failure that sent it to an F step (its error code, `TIMEOUT`,
 * `CHECK_FAILED:<operation>`, as the metrics name it), or `NO_FAILURE` (an F step off the main path
 * entered without one: a wiring mistake), `ENDED` (an ending that is not a success), `STUCK` (no path
 * let the customer through; `detail` says where the furthest attempt stopped, in English).
 */
export interface CampaignFailure {
  stepId: string;
  cause: string;
  detail?: string;
}

/** One simulated call of a campaign. */
export interface CampaignRun {
  n: number;
  msisdn: string;
  brand: CampaignBrand;
  success: boolean;
  /** The business's ending (its state id) and outcome. */
  ending: string;
  outcome: string;
  /** Steps visited in order. */
  steps: string[];
  /** Where it failed and why; null when it succeeded. */
  failure: CampaignFailure | null;
  /** Share of the main path's steps visited in order (0–1, 4 decimals). */
  trajectoryMatch: number;
}

export interface CampaignResult {
  runs: number;
  successes: number;
  /** The main path the runs are matched against. */
  mainPath: string[];
  /** Runs per brand, and their successes. */
  byBrand: { brand: CampaignBrand; runs: number; successes: number }[];
  /** Failures by step and cause, most first. */
  failures: { stepId: string; cause: string; count: number }[];
  /** Mean trajectory match over the runs (4 decimals). */
  trajectoryMatch: number;
  calls: CampaignRun[];
}

export interface Campaign {
  id: number;
  flowId: string;
  version: number;
  calls: number;
  quota: Record<CampaignBrand, number>;
  seed: number;
  requestedBy: string;
  startedAt: string;
  finishedAt: string;
  result: CampaignResult;
}
