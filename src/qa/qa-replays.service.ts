import { Injectable, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { QaReplay } from '../../protocol/qa';
import type { AuthUser } from '../auth/auth-user';
import { CallRecords } from '../calls';
import { maskMsisdn, maskName } from '../common/mask';
import { keyedSingleFlight } from '../common/single-flight';
import type { Locale } from '../flows/flow-definition';
import { PrometheusMetrics } from '../observability/prometheus-metrics';
import { CallQa } from './call-qa.service';

/** Bytes of ended calls' serialized replays kept (about 2 KB per event: a typical call 20–80 KB). */
const CACHED_BYTES = 64 * 1024 * 1024;

/**
 * `GET /api/qa/calls/:id/replay`: the call step by step with its checks and the log's verdict. An
 * ended call never changes, so its replay (per locale) is computed once and kept while the cache has
 * room; a QA team opening the same long call again and again costs the hotline nothing more. Access
 * is checked on every request, before anything is read or computed.
 */
/** A replay as sent: the JSON body's bytes and their ETag. */
export interface EncodedReplay {
  body: Buffer;
  etag: string;
}

@Injectable()
export class QaReplays {
  /** Replays of ended calls being computed, by key: the requests that arrive meanwhile share them. */
  private readonly computing = keyedSingleFlight<string, EncodedReplay>();
  /** Serialized: a long call's replay is ~2 KB per event, and serializing it again per request is what costs. */
  private readonly ended = new LRUCache<string, EncodedReplay>({ maxSize: CACHED_BYTES, sizeCalculation: (r) => r.body.length });

  constructor(
    private readonly records: CallRecords,
    private readonly qa: CallQa,
    @Optional() private readonly metrics?: PrometheusMetrics,
  ) {}

  /** The replay as the JSON body of the response. */
  async json(user: AuthUser, callId: string, locale: Locale): Promise<EncodedReplay> {
    const record = await this.records.readable(user, callId);
    await this.records.refuseErased(callId);
    // QA reviews handling, not subscribers: the caller's number and name are masked wherever they
    // appear (the call, its views' texts, its logged inputs and replies). Its agent and supervisors
    // see them in full. What QA judges the handling against (tier, status, arrears, the back end's
    // replies) stays.
    const masked = user.role === 'qa';
    const key = `${callId}|${locale}|${masked ? 'masked' : 'full'}`;
    if (record.status === 'active') return this.encode(user, callId, locale, masked);
    const kept = this.ended.get(key);
    if (kept) {
      this.metrics?.endedCallOpened('replay', true);
      return kept;
    }
    // QA reviewers opening the same call at once share one computation.
    const { result, joined } = this.computing(key, async () => {
      const encoded = await this.encode(user, callId, locale, masked);
      this.ended.set(key, encoded);
      return encoded;
    });
    const encoded = await result;
    this.metrics?.endedCallOpened('replay', joined);
    return encoded;
  }

  private async encode(user: AuthUser, callId: string, locale: Locale, masked: boolean): Promise<EncodedReplay> {
    const { events, ...call } = await this.records.read(user, callId);
    const [{ timeline, checks }, verification] = await Promise.all([this.qa.evaluate(call, locale), this.records.replay(user, callId)]);
    const full = JSON.stringify({ call, verification, timeline, checks } satisfies QaReplay);
    const json = masked ? masking(full, call.callerNumber, customerName(events[0]?.payload)) : full;
    // Encoded and tagged once: sending a kept replay again costs no UTF-8 encoding and no ETag hash
    // of a body that may be a megabyte (Express hashes every body it is given without an ETag).
    const body = Buffer.from(json, 'utf8');
    return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
  }
}

/** The caller's name from the call's first event (the profile at call start), if it has one worth masking. */
function customerName(started: Record<string, unknown> | undefined): string | null {
  const name = (started?.customer as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && [...name.trim()].length >= 2 ? name.trim() : null;
}

/** The replay's JSON with the number and the name masked everywhere (JSON-escaped forms included). */
function masking(json: string, number: string, name: string | null): string {
  let out = json.replaceAll(number, maskMsisdn(number));
  if (name) out = out.replaceAll(JSON.stringify(name).slice(1, -1), JSON.stringify(maskName(name)).slice(1, -1));
  return out;
}
