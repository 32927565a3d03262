import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a CTI event is signed in (docs/CTI.md §2). */
export const TIMESTAMP_HEADER = 'x-cti-timestamp';
export const SIGNATURE_HEADER = 'x-cti-signature';

const SCHEME = 'sha256=';
const TIMESTAMP = /^\d{1,12}$/;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/** Why a request's signature is refused; the client is told only "not signed as agreed". */
export type SignatureProblem = 'missing' | 'malformed' | 'bad-signature' | 'stale';

export interface SignedRequest {
  /** `X-CTI-Timestamp`: Unix seconds when the CTI system sent the event. */
  timestamp: string | undefined;
  /** `X-CTI-Signature`: `sha256=` + hex HMAC-SHA-256 of `<timestamp>.<raw body>`. */
  signature: string | undefined;
  /** The body exactly as received: a re-serialised JSON body would not hash the same. */
  body: Buffer;
}

/** The signature of a body sent at `timestamp` (what the CTI system computes, and the tests). */
export function signCtiEvent(secret: string, timestamp: string, body: Buffer | string): string {
  return SCHEME + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * Null when the request is signed with the secret and was sent within `windowSeconds` of `nowSeconds`
 * (either way: clocks drift), else the problem. The signature is checked before the time, and
 * compared in constant time, so an unsigned request learns nothing from the answer or its timing.
 */
export function signatureProblem(secret: string, request: SignedRequest, nowSeconds: number, windowSeconds: number): SignatureProblem | null {
  const { timestamp, signature, body } = request;
  if (timestamp === undefined || signature === undefined) return 'missing';
  if (!TIMESTAMP.test(timestamp) || !signature.startsWith(SCHEME) || !HEX_DIGEST.test(signature.slice(SCHEME.length))) return 'malformed';
  const expected = Buffer.from(signCtiEvent(secret, timestamp, body).slice(SCHEME.length), 'hex');
  const given = Buffer.from(signature.slice(SCHEME.length), 'hex');
  if (!timingSafeEqual(expected, given)) return 'bad-signature';
  if (Math.abs(nowSeconds - Number(timestamp)) > windowSeconds) return 'stale';
  return null;
}
