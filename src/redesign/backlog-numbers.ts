import type { SqlPort } from '../common/sql-port';
import type { StepNumbers } from './backlog-ranking';

/** What a business's backlog is ranked by: its steps' numbers and its segments per version. */
export interface BacklogNumbers {
  steps: StepNumbers[];
  segmentsOf: (version: number) => number;
}

/**
 * The heat map's numbers over the whole history, from the month rollups (every version of the
 * business): two grouped reads of the (grain, flow) index, whatever the number of calls.
 */
export async function backlogNumbers(sql: SqlPort, flowId: string): Promise<BacklogNumbers> {
  const steps = await sql.all<Record<string, string | number>>(
    `SELECT flow_version AS version, step_id AS "stepId", SUM(visits) AS visits, SUM(failures) AS failures, SUM(wait_ms) AS "waitMs"
     FROM metric_rollup_steps WHERE grain = 'month' AND flow_id = ? GROUP BY flow_version, step_id`,
    [flowId],
  );
  const calls = await sql.all<{ version: number; segments: number }>(
    `SELECT flow_version AS version, SUM(segments) AS segments FROM metric_rollup_flows WHERE grain = 'month' AND flow_id = ? GROUP BY flow_version`,
    [flowId],
  );
  const segments = new Map(calls.map((c) => [Number(c.version), Number(c.segments)]));
  return {
    steps: steps.map((r) => ({
      version: Number(r.version),
      stepId: String(r.stepId),
      visits: Number(r.visits),
      failures: Number(r.failures),
      waitMs: Number(r.waitMs),
    })),
    segmentsOf: (v) => segments.get(v) ?? 0,
  };
}
