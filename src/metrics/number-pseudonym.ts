import { createHmac } from 'node:crypto';

/** Marks a stored pseudonym, so rows written before numbers were pseudonymised can be found and converted. */
export const PSEUDONYM_PREFIX = 'h:';

/**
 * What the metrics tables keep of a caller's number: a keyed hash (HMAC-SHA-256, 128 bits,
 * base64url). The same number always gives the same pseudonym under one key, so repeat contacts are
 * still linked; without the key (DATA_DIR/metrics-number-key, or `shared_secrets` on PostgreSQL) the
 * number cannot be recovered by hashing every possible number, as a plain hash would allow.
 */
export function numberPseudonym(key: string, msisdn: string): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', key).update(msisdn).digest().subarray(0, 16).toString('base64url');
}

/** Where the key is kept (src/common/stored-secret.ts). */
export const NUMBER_KEY_PLACE = { name: 'metrics-number-key', file: 'metrics-number-key', what: 'metrics number key' };
