/**
 * The log's payloads as stored (docs/PROTOCOL.md §7 "Sealed payloads"): sealed under each call's
 * key in `call_keys`. Specs that read the store directly — or tamper with it, as someone with the
 * database and its keys could — open and seal them here with the log's own cipher.
 */
import { isSealed, keyFromText, openPayload, sealPayload } from '../../src/decision-log/payload-cipher';
import { storeRows } from './store';

export type CallKeys = ReadonlyMap<string, Buffer>;

/** Every call's payload key (erased calls have none), read from the server's store. */
export async function callKeys(dataDir: string): Promise<CallKeys> {
  const rows = await storeRows<{ callId: string; key: string | null }>(dataDir, `SELECT call_id AS "callId", key FROM call_keys`);
  return new Map(rows.filter((r) => r.key !== null).map((r) => [r.callId, keyFromText(r.key!)]));
}

/** A `payload` column in clear: opened when sealed, as it is when stored before encryption. */
export function openColumn(keys: CallKeys, callId: string, seq: number, column: string): Record<string, unknown> {
  const stored: unknown = JSON.parse(column);
  if (!isSealed(stored)) return stored as Record<string, unknown>;
  const key = keys.get(callId);
  if (!key) throw new Error(`call ${callId} has no payload key in the store`);
  return openPayload(key, callId, Number(seq), stored);
}

/** The `payload` column for `payload`, sealed under the call's key (what the log would store). */
export function sealColumn(keys: CallKeys, callId: string, seq: number, payload: unknown): string {
  const key = keys.get(callId);
  if (!key) throw new Error(`call ${callId} has no payload key in the store`);
  return JSON.stringify(sealPayload(key, callId, Number(seq), payload));
}
