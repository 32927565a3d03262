/** The tests acting as the telephony (CTI) system: events signed as docs/CTI.md says, posted over real HTTP. */
import { createHmac } from 'node:crypto';
import type { CtiEvent } from '../../protocol/cti';
import type { HttpResult } from './http';
import { expectDocumented } from './openapi-check';

export const CTI_SECRET = 'cti-shared-secret-for-the-tests-0123456789';

export interface CtiPost {
  /** Unix seconds (default: now). */
  timestamp?: number;
  /** The secret to sign with (default: CTI_SECRET). */
  secret?: string;
  /** Replaces the computed signature header. */
  signature?: string;
  /** Sent instead of JSON.stringify(event), signed as it is. */
  rawBody?: string;
}

let counter = 0;
/** A fresh event id per call. */
export const eventId = (): string => `evt-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** Written here without the server's helper, as a CTI system would: the signature over "<timestamp>.<raw body>". */
export function ctiSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** POST /api/cti/events; the answer must be one the OpenAPI document describes. */
export async function postCtiEvent(baseUrl: string, event: Partial<CtiEvent> | Record<string, unknown>, opts: CtiPost = {}): Promise<HttpResult> {
  const body = opts.rawBody ?? JSON.stringify(event);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl}/api/cti/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-cti-timestamp': String(timestamp),
      'x-cti-signature': opts.signature ?? ctiSignature(opts.secret ?? CTI_SECRET, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  await expectDocumented(baseUrl, 'POST', '/api/cti/events', { status: res.status, contentType: res.headers.get('content-type'), text });
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}
