import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';

/**
 * Crypto-shredding (issue 17 item 8, docs/RELIABILITY.md "Retention and erasure"): every call has
 * its own random 256-bit key (table `call_keys`), and its events' payloads — the profile, the typed
 * inputs, the back end's replies — are stored as AES-256-GCM ciphertext under it. Destroying the key
 * makes the payloads unreadable for good while the rows, and the hash chain computed over their
 * stored (encrypted) form, stay: the log still verifies without any key.
 *
 * The stored form is a JSON string `v1.<iv>.<ciphertext+tag>` (base64url) where a payload written
 * before encryption is a JSON object: the column itself says which it is. The call id and seq are
 * the cipher's associated data, so a ciphertext moved to another event does not open.
 */
export const SEALED_FORMAT = 'v1';

/** The stored form of a read event's payload (an enumerable symbol: kept by spreads, invisible to JSON). */
export const SEALED: unique symbol = Symbol('sealed payload');

/** The sealed payload an event was read with, if any (hash-chain.ts hashes it in place of the payload). */
export function sealedOf(event: object): string | undefined {
  return (event as { [SEALED]?: string })[SEALED];
}

/** A new call's key. */
export function newCallKey(): Buffer {
  return randomBytes(32);
}

const aad = (callId: string, seq: number) => Buffer.from(`${callId}#${seq}`, 'utf8');

/**
 * IVs are cut from a pool the CSPRNG fills 4,096 IVs at a time: one `randomFillSync` per 4,096
 * sealed payloads instead of one `randomBytes(12)` each (1.3 s of the log writer thread's 21 s in a
 * 2,000-call open-loop profile). The pool is never reused — the cursor only moves on, and a refill
 * draws new bytes — so an IV is as random and as unique as `randomBytes(12)`'s. Each thread has
 * its own pool (a module instance per thread).
 */
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivAt = ivPool.length;

/** The next IV: a view into the pool, used at once (before the next call can refill the pool). */
export function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/** The payload as stored: encrypted under the call's key, bound to the event's call and seq. */
export function sealPayload(key: Buffer, callId: string, seq: number, payload: unknown): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(callId, seq));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED_FORMAT}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** A stored payload that is sealed (a string) rather than in clear (an object, written before encryption). */
export const isSealed = (stored: unknown): stored is string => typeof stored === 'string';

/** The payload back; throws when the ciphertext, its tag, its call/seq or the key do not match (a tampered row). */
export function openPayload(key: Buffer, callId: string, seq: number, sealed: string): Record<string, unknown> {
  const [format, iv, body] = sealed.split('.');
  if (format !== SEALED_FORMAT || !iv || !body) throw new Error(`call ${callId} seq ${seq}: the payload is in no known format`);
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length < 16) throw new Error(`call ${callId} seq ${seq}: the payload is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(callId, seq));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const clear = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
    return JSON.parse(clear.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new Error(`call ${callId} seq ${seq}: the payload does not decrypt (altered, or not this event's)`);
  }
}

/** Keys are stored as base64 text (the same column type on both stores). */
export const keyToText = (key: Buffer) => key.toString('base64');
export const keyFromText = (text: string) => Buffer.from(text, 'base64');
