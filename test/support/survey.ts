/** The tests acting as the SMS gateway and the IVR: survey answers signed as docs/SATISFACTION.md says, posted over real HTTP. */
import { createHmac } from 'node:crypto';
import type { SurveyReply } from '../../protocol/satisfaction';
import type { HttpResult } from './http';
import { expectDocumented } from './openapi-check';

export const SURVEY_SECRET = 'survey-shared-secret-for-the-tests-0123456789';

export interface SurveyPost {
  /** Unix seconds (default: now). */
  timestamp?: number;
  /** The secret to sign with (default: SURVEY_SECRET). */
  secret?: string;
  /** Replaces the computed signature header; null: no signature headers at all. */
  signature?: string | null;
}

let counter = 0;
/** A fresh gateway message id per call. */
export const messageId = (): string => `mo-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** POST /api/satisfaction/replies, signed over "<timestamp>.<raw body>"; the answer must be one the OpenAPI document describes. */
export async function postSurveyReply(baseUrl: string, reply: Partial<SurveyReply> | Record<string, unknown>, opts: SurveyPost = {}): Promise<HttpResult> {
  const body = JSON.stringify(reply);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    opts.signature === undefined
      ? `sha256=${createHmac('sha256', opts.secret ?? SURVEY_SECRET)
          .update(`${timestamp}.`)
          .update(body)
          .digest('hex')}`
      : opts.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) Object.assign(headers, { 'x-survey-timestamp': String(timestamp), 'x-survey-signature': signature });
  const res = await fetch(`${baseUrl}/api/satisfaction/replies`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  await expectDocumented(baseUrl, 'POST', '/api/satisfaction/replies', { status: res.status, contentType: res.headers.get('content-type'), text });
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}
