import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CtiEvent } from '../../protocol/cti';
import { AppError } from '../common/app-error';
import { sqlGet, sqlPort, sqlRun } from '../common/sql-port';

/**
 * The `cti_events` table (migration CtiEvents): an event id is claimed before the event is acted on,
 * so a second delivery — concurrent or after a restart, on any node — is refused; when acting on it
 * fails, the claim is released and the CTI system may send it again.
 */
@Injectable()
export class CtiEventStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get sql() {
    return sqlPort(this.dataSource);
  }

  /** Records the event as received; EVENT_REPLAYED when its id was received before. */
  async claim(event: CtiEvent, receivedAt: string): Promise<void> {
    const detail = JSON.stringify({
      callerNumber: event.callerNumber,
      ivrPath: event.ivrPath,
      ...(event.transferredTo !== undefined ? { transferredTo: event.transferredTo } : {}),
      ...(event.endedBy !== undefined ? { endedBy: event.endedBy } : {}),
    });
    const claimed = await this.sql.transaction(function* () {
      return yield* sqlGet<{ event_id: string }>(
        `INSERT INTO cti_events (event_id, type, cti_call_id, agent, received_at, detail) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [event.eventId, event.type, event.ctiCallId, event.agent ?? null, receivedAt, detail],
      );
    });
    if (!claimed) throw new AppError('EVENT_REPLAYED', `Event ${event.eventId} was received before: it is not applied again`);
  }

  /** The event concerns this laihua call (answered: the call it started). */
  async linkCall(eventId: string, callId: string): Promise<void> {
    await this.sql.transaction(function* () {
      yield* sqlRun(`UPDATE cti_events SET call_id = ? WHERE event_id = ?`, [callId, eventId]);
    });
  }

  /** Acting on the event failed: forget it, so that the same event may be sent again. */
  async release(eventId: string): Promise<void> {
    await this.sql.transaction(function* () {
      yield* sqlRun(`DELETE FROM cti_events WHERE event_id = ?`, [eventId]);
    });
  }

  /** The laihua call the CTI call's answer started, if any (the latest, should it have been answered twice). */
  async callOf(ctiCallId: string): Promise<string | undefined> {
    const row = await this.sql.get<{ call_id: string }>(
      `SELECT call_id FROM cti_events WHERE cti_call_id = ? AND type = 'call.answered' AND call_id IS NOT NULL ORDER BY received_at DESC LIMIT 1`,
      [ctiCallId],
    );
    return row?.call_id;
  }
}
