import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { QaReplay } from '../../protocol/qa';
import type { AuthUser } from '../auth/auth-user';
import { CallRecords } from '../calls';
import { maskMsisdn } from '../common/mask';
import type { Locale } from '../flows/flow-definition';
import { CallQa } from './call-qa.service';

/** Characters of ended calls' serialized replays kept (about 2 KB per event: a typical call 20–80 KB). */
const CACHED_BYTES = 64 * 1024 * 1024;

/**
 * `GET /api/qa/calls/:id/replay`: the call step by step with its checks and the log's verdict. An
 * ended call never changes, so its replay (per locale) is computed once and kept while the cache has
 * room; a QA team opening the same long call again and again costs the hotline nothing more. Access
 * is checked on every request, before anything is read or computed.
 */
@Injectable()
export class QaReplays {
  /** Serialized: a long call's replay is ~2 KB per event, and serializing it again per request is what costs. */
  private readonly ended = new LRUCache<string, string>({ maxSize: CACHED_BYTES, sizeCalculation: (json) => json.length });

  constructor(
    private readonly records: CallRecords,
    private readonly qa: CallQa,
  ) {}

  /** The replay as the JSON body of the response. */
  async json(user: AuthUser, callId: string, locale: Locale): Promise<string> {
    const record = await this.records.readable(user, callId);
    // QA reviews handling, not subscribers: the caller's number is masked wherever it appears (the
    // call, its views' texts, its logged inputs and replies). Its agent and supervisors see it in full.
    const masked = user.role === 'qa';
    const key = `${callId}|${locale}|${masked ? 'masked' : 'full'}`;
    const kept = record.status === 'active' ? undefined : this.ended.get(key);
    if (kept) return kept;
    const { events: _events, ...call } = await this.records.read(user, callId);
    const [{ timeline, checks }, verification] = await Promise.all([this.qa.evaluate(call, locale), this.records.replay(user, callId)]);
    const full = JSON.stringify({ call, verification, timeline, checks } satisfies QaReplay);
    const json = masked ? full.replaceAll(call.callerNumber, maskMsisdn(call.callerNumber)) : full;
    if (call.status !== 'active') this.ended.set(key, json);
    return json;
  }
}
