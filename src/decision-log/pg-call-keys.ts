import type { PoolClient } from 'pg';
import type { LoggedEvent } from './decision-log';
import { keyFromText, keyToText, newCallKey } from './payload-cipher';

/** New calls' payload keys (payload-cipher.ts), in the transaction of their first events. */
const INSERT_KEYS = `INSERT INTO call_keys (call_id, key, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`;
const KEYS_OF = `SELECT call_id, key FROM call_keys WHERE call_id = ANY($1::text[])`;

/**
 * The payload key of each call of a PostgreSQL batch: the cached one (`cache`: the live calls this
 * node appends to), else read in the batch's transaction from `call_keys`; a call's first event (or
 * the first since an upgrade, for a call begun in clear) creates it, inserted in that transaction.
 * The cache is the caller's to update once the transaction has committed.
 */
export async function batchKeys(
  client: PoolClient,
  cache: ReadonlyMap<string, Buffer>,
  batch: readonly { event: LoggedEvent }[],
): Promise<Map<string, Buffer>> {
  const keys = new Map<string, Buffer>();
  const missing: string[] = [];
  const created: { callId: string; key: Buffer; at: string }[] = [];
  const seen = new Set<string>();
  for (const { event } of batch) {
    if (seen.has(event.callId)) continue;
    seen.add(event.callId);
    const key = cache.get(event.callId);
    if (key !== undefined) keys.set(event.callId, key);
    else if (event.seq === 1) created.push({ callId: event.callId, key: newCallKey(), at: event.at });
    else missing.push(event.callId);
  }
  if (missing.length) {
    const { rows } = await client.query<{ call_id: string; key: string | null }>(KEYS_OF, [missing]);
    const stored = new Map(rows.map((r) => [r.call_id, r.key]));
    for (const id of missing) {
      const text = stored.get(id);
      if (text === null) throw new Error(`call ${id}: its key was destroyed (erased); nothing more can be logged for it`);
      if (text !== undefined) keys.set(id, keyFromText(text));
      else created.push({ callId: id, key: newCallKey(), at: batch.find((p) => p.event.callId === id)!.event.at });
    }
  }
  for (const c of created) keys.set(c.callId, c.key);
  if (created.length) {
    await client.query(INSERT_KEYS, [created.map((c) => c.callId), created.map((c) => keyToText(c.key)), created.map((c) => c.at)]);
  }
  return keys;
}
