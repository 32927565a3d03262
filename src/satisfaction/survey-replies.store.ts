import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SurveyReply, SurveyReplyAck } from '../../protocol/satisfaction';
import { AppError } from '../common/app-error';
import type { SqlDialect } from '../common/sql-dialect';
import { sqlGet, sqlPort, type SqlScript } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import { addSatisfaction, lockRatedCalls, storedRatedCall } from '../metrics';
import { MATCH_WINDOW_MS, ratingOf } from './survey-rating';

/** How many of a number's calls in the window are looked at for the SMS's reference (a number calls a few times a day at most). */
const CANDIDATES = 50;

/**
 * `satisfaction_replies` (migration Satisfaction1765620000000). A reply is matched to its call
 * (docs/SATISFACTION.md §2): among the calls from the reply's number that ended within the
 * channel's window before it (SMS 72 h, IVR 30 min), the one whose hang-up sent the SMS named by
 * `reference`, else the latest. Then it is stored under the gateway's message id: a second delivery
 * of that id is refused (EVENT_REPLAYED), on any node and after a restart. A reply that names no
 * rating or matches no call is refused and changes nothing.
 */
@Injectable()
export class SurveyReplies {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get sql() {
    return sqlPort(this.dataSource);
  }

  async record(reply: SurveyReply, receivedAt: string): Promise<SurveyReplyAck> {
    const rating = ratingOf(reply.answer);
    if (rating === null) {
      throw new AppError('VALIDATION_FAILED', 'The answer holds no rating 1–5', [{ field: 'answer', problems: ['has no rating digit 1–5 first'] }]);
    }
    const callId = await this.match(reply);
    const row = { ...reply, callId, rating };
    const stored = await this.sql.transaction(() => storeReply(this.sql.dialect, row, receivedAt));
    if (!stored) throw new AppError('EVENT_REPLAYED', `Reply ${reply.messageId} was received before: it is not counted again`);
    return { messageId: reply.messageId, channel: reply.channel, callId, rating };
  }

  private async match(reply: SurveyReply): Promise<string> {
    const at = Date.parse(reply.repliedAt);
    const since = new Date(at - MATCH_WINDOW_MS[reply.channel]).toISOString();
    const until = new Date(at).toISOString();
    // By end time: a number that calls all day (an auto-dialler, a switchboard) has every call read and
    // sorted here — ~100 ms at 50,000 calls — so it runs on the read thread, never on the agents' one.
    const calls = await readerSqlPort(this.dataSource).all<{ id: string; detail: string | null }>(
      `SELECT id, outcome_detail AS detail FROM calls WHERE caller_number = ? AND ended_at IS NOT NULL AND ended_at >= ? AND ended_at <= ?
       ORDER BY ended_at DESC, id DESC LIMIT ${CANDIDATES}`,
      [reply.callerNumber, since, until],
    );
    const found = reply.reference === undefined ? calls[0] : calls.find((c) => smsOf(c.detail) === reply.reference);
    if (!found) {
      throw new AppError(
        'NOT_FOUND',
        reply.reference === undefined
          ? `No call from this number ended in the ${reply.channel} window before the reply`
          : `No call from this number sent the satisfaction SMS ${reply.reference} in the window before the reply`,
      );
    }
    return found.id;
  }
}

/** A reply's row, matched to its call. */
export interface StoredReply extends SurveyReply {
  callId: string;
  rating: number;
}

/**
 * The reply's transaction: stores it once (undefined: its message id was stored before) and sums it
 * into the satisfaction rollups if its call's facts are written — else the end-of-call worker sums it
 * when it writes them (src/metrics/satisfaction-rollups.ts: the call's lock makes one of the two see
 * the other).
 */
export function* storeReply(dialect: SqlDialect, row: StoredReply, receivedAt: string): SqlScript<{ message_id: string } | undefined> {
  yield* lockRatedCalls(dialect, [row.callId]);
  const inserted = yield* sqlGet<{ message_id: string }>(
    `INSERT INTO satisfaction_replies (message_id, channel, call_id, rating, answer, reference, replied_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
    [row.messageId, row.channel, row.callId, row.rating, row.answer, row.reference ?? null, row.repliedAt, receivedAt],
  );
  const call = inserted && (yield* storedRatedCall(row.callId));
  if (call) yield* addSatisfaction(dialect, [{ call, ratings: [{ channel: row.channel, rating: row.rating }] }]);
  return inserted;
}

/** The message id of the hang-up's SMS in a call's outcome detail (its `report`: `sms.messageId`). */
function smsOf(detail: string | null): string | undefined {
  if (!detail) return undefined;
  try {
    const sms = (JSON.parse(detail) as { sms?: { messageId?: unknown } }).sms;
    return typeof sms?.messageId === 'string' ? sms.messageId : undefined;
  } catch {
    return undefined;
  }
}
