/** The statements of call leases (migration Cluster1765008000000). Times are the database's clock, never a node's. */

/** A new incarnation of this node, its lease running from now. */
export const REGISTER = `INSERT INTO cluster_nodes (incarnation, node_id, expires_at)
  VALUES (nextval('lease_tokens'), $1, now() + $2 * interval '1 millisecond') RETURNING incarnation::text AS incarnation`;

/** The same NODE_ID started again: its earlier incarnations are dead now, not when their leases run out. */
export const EXPIRE_EARLIER = `UPDATE cluster_nodes SET expires_at = now() WHERE node_id = $1 AND incarnation <> $2 AND lost_at IS NULL`;

/** The lease renewed; no row: this incarnation was declared lost (it was paused or cut off past its lease). */
export const HEARTBEAT = `UPDATE cluster_nodes SET heartbeat_at = now(), expires_at = now() + $2 * interval '1 millisecond'
  WHERE incarnation = $1 AND lost_at IS NULL`;

/** Nodes whose lease ran out are lost (row locks: waits for their batches in flight, which hold it FOR SHARE). */
export const DECLARE_LOST = `UPDATE cluster_nodes SET lost_at = now() WHERE lost_at IS NULL AND expires_at < now() AND incarnation <> $1
  RETURNING node_id, incarnation::text AS incarnation`;

/**
 * Every live call no live node holds becomes this node's, each with a new token (a call's appends in
 * flight finish first). Rows are locked in id order, as a batch of claims and the fencing check lock
 * them: another node claiming several of these calls at once never waits on this in a circle.
 */
export const ADOPT_ORPHANS = `WITH orphans AS (SELECT id FROM calls
    WHERE status = 'active' AND (owner_incarnation IS NULL OR owner_incarnation IN (SELECT incarnation FROM cluster_nodes WHERE lost_at IS NOT NULL))
    ORDER BY id FOR UPDATE)
  UPDATE calls c SET owner_node = $1, owner_incarnation = $2, lease_token = nextval('lease_tokens')
  FROM orphans WHERE c.id = orphans.id RETURNING c.id, c.lease_token::text AS token`;

/**
 * Agents on this node drive calls another node holds: they move here, each with a new token (the ended
 * ones stay). Rows are locked in id order, as the fencing check locks them, so two nodes' statements never
 * wait on each other in a circle.
 */
export const CLAIM = `WITH claimed AS (SELECT id FROM calls WHERE id = ANY($3::text[]) AND status = 'active' ORDER BY id FOR UPDATE)
  UPDATE calls c SET owner_node = $1, owner_incarnation = $2, lease_token = nextval('lease_tokens')
  FROM claimed WHERE c.id = claimed.id RETURNING c.id, c.lease_token::text AS token`;

/** Of the calls this node holds, those whose lease another node now has. */
export const MOVED_AWAY = `SELECT h.id FROM unnest($1::text[], $2::bigint[]) AS h(id, token) JOIN calls c ON c.id = h.id
  WHERE c.lease_token IS DISTINCT FROM h.token`;

/**
 * The fencing check, first statement of every log batch: this incarnation still alive (held FOR SHARE,
 * so it cannot be declared lost before COMMIT) and the batch's call rows locked, with their tokens.
 */
export const FENCE = `WITH me AS (SELECT incarnation FROM cluster_nodes WHERE incarnation = $1 AND lost_at IS NULL FOR SHARE),
  locked AS (SELECT id, lease_token FROM calls WHERE id = ANY($2::text[]) ORDER BY id FOR UPDATE)
  SELECT (SELECT count(*) FROM me)::int AS alive, (SELECT coalesce(json_agg(json_build_array(id, lease_token::text)), '[]') FROM locked) AS calls`;

/** Calls that began in a batch: this node's, with its incarnation as their first token. */
export const OWN_NEW = `UPDATE calls SET owner_node = $1, owner_incarnation = $2, lease_token = $2 WHERE id = ANY($3::text[])`;

/** Lost incarnations that hold nothing any more are forgotten after a day. */
export const FORGET_LOST = `DELETE FROM cluster_nodes WHERE lost_at < now() - interval '1 day'`;
