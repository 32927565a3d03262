/** The statements that write one ended call's metric facts (MetricsWriter), `?` placeholders on both stores. */
export const INSERT_CALL = `INSERT INTO metric_calls (call_id, day, started_at, caller_number, agent_id, region, brand, tier, flow_id, flow_version, status, outcome, duration_ms, wait_ms, agent_ms, lane_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const INSERT_SEGMENT = `INSERT INTO metric_segments (call_id, segment, day, started_at, caller_number, agent_id, region, brand, tier, flow_id, flow_version, kind, outcome, success,
  duration_ms, wait_ms, agent_ms, agent_steps, eligible, presented, accepted, repeat_gap_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const INSERT_VISIT = `INSERT INTO metric_step_visits (call_id, visit, segment, flow_id, flow_version, step_id, lane, marks, duration_ms, wait, failure_cause, drop_off)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const INSERT_OFFER = `INSERT INTO metric_offers (call_id, n, segment, flow_id, flow_version, step_id, offer_id, presented, accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const PREVIOUS = `SELECT call_id AS "callId", segment, started_at AS "startedAt", success, repeat_gap_ms AS gap, day, flow_id, flow_version, region, agent_id, brand, tier
  FROM metric_segments WHERE caller_number = ? AND flow_id = ? AND started_at <= ? AND call_id != ? ORDER BY started_at DESC, call_id DESC, segment DESC LIMIT 1`;
export const NEXT = `SELECT MIN(started_at) AS at FROM metric_segments WHERE caller_number = ? AND flow_id = ? AND started_at > ? AND call_id != ?`;
export const SET_GAP = 'UPDATE metric_segments SET repeat_gap_ms = ? WHERE call_id = ? AND segment = ?';
/** An "other" need at ask-need and the words the agent typed (the note is dropped when the call is erased: src/erasure). */
export const INSERT_OTHER_NEED = `INSERT INTO metric_other_needs (call_id, day, region, agent_id, note) VALUES (?, ?, ?, ?, ?)`;
